using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Events;

/// <summary>
/// The ids of a run of events checked against an id set chunk by chunk, in run order, so that the caller can read
/// or add the state of some chunks while a helper thread checks the next ones: the two halves of the work touch
/// different memory (the id set; the caller's own tables) and overlap on two cores.
/// </summary>
/// <remarks>
/// <para>
/// The events are in a buffer: a whole list, or a ring of whole chunks that the caller refills once it is done
/// with a chunk. The caller <see cref="Publish"/>es events as they arrive (all at once for a list) and calls
/// <see cref="WaitFor"/> before it uses a chunk's flags; it must not overwrite a chunk before that.
/// </para>
/// <para>
/// One thread checks at a time (whichever claims the turn) and always the next unchecked chunk, so the set sees the ids in run
/// order and the first event with an id wins, exactly as with one <see cref="FingerprintSet.Add(string)"/> an
/// event. The caller checks a chunk itself when it gets there first, so nothing ever waits for a helper the thread
/// pool has not started; a helper that starts late finds nothing to do and touches nothing. A chunk is checked with
/// <see cref="FingerprintSet.AddRun"/>.
/// </para>
/// <para>
/// Computing a chunk's fingerprints (hashing its ids) need not wait for the chunks before it, so it is split from
/// the check: a caller that would otherwise wait for the helper fingerprints the next chunks instead (up to
/// <see cref="PrintChunks"/> ahead), and the checking thread only adds them, or fingerprints its chunk itself when
/// nobody has. The work moves to whichever thread would be idle.
/// </para>
/// </remarks>
internal sealed class RunIdCheck
{
    /// <summary>Events a chunk: small enough for the helper to stay a chunk or more ahead, large enough to sort.</summary>
    public const int ChunkLength = 1 << 13;

    /// <summary>How many chunks' fingerprints can be held at once (computed ahead of their check).</summary>
    public const int PrintChunks = 4;

    /// <summary>The length of the fingerprint buffer a check needs: <see cref="PrintChunks"/> chunks.</summary>
    public const int PrintsLength = PrintChunks * ChunkLength;

    /// <summary>How many times a waiting thread spins (mostly yielding) before it blocks by default: about a millisecond, the time to check a chunk.</summary>
    public const int DefaultSpinsBeforeBlocking = 1000;

    private readonly EventSpan _buffer;
    private readonly int _bufferLength;
    private readonly FingerprintSet _ids;
    private readonly (ulong Hi, ulong Lo)[] _prints;
    private readonly bool[] _duplicate;
    private readonly bool _helper;
    private int _published;
    private volatile bool _complete;
    private int _checked;

    /// <summary>Per chunk slot of the fingerprint buffer: the last chunk a thread claimed to fingerprint there, and the last one done (-1: none).</summary>
    private readonly int[] _printClaimed = Enumerable.Repeat(-1, PrintChunks).ToArray();
    private readonly int[] _printed = Enumerable.Repeat(-1, PrintChunks).ToArray();

    /// <summary>1 while a thread is checking a chunk.</summary>
    private int _checking;

    private readonly int _spinsBeforeBlocking;

    /// <summary>Counts the changes a waiting thread may wait for; blocked threads wait on <see cref="_gate"/>.</summary>
    private int _changes;
    private int _waiters;
    private readonly object _gate = new();

    /// <summary>
    /// Prepares to check events held in <paramref name="buffer"/> (<paramref name="bufferLength"/> events: a whole
    /// list, or a multiple of <see cref="ChunkLength"/> used as a ring) against <paramref name="ids"/>.
    /// <paramref name="prints"/> (at least <see cref="PrintsLength"/> long) and <paramref name="duplicate"/> (at least
    /// <paramref name="bufferLength"/> long) are working space the caller may reuse once the last chunk has been
    /// waited for. Without <paramref name="helper"/> (for tests) the caller checks every chunk itself; tests also
    /// set <paramref name="spinsBeforeBlocking"/> to 0 so that every wait blocks.
    /// </summary>
    public RunIdCheck(EventSpan buffer, int bufferLength, FingerprintSet ids, (ulong Hi, ulong Lo)[] prints, bool[] duplicate, bool helper = true, int spinsBeforeBlocking = DefaultSpinsBeforeBlocking)
    {
        _spinsBeforeBlocking = spinsBeforeBlocking;
        _buffer = buffer;
        _bufferLength = bufferLength;
        _ids = ids;
        _prints = prints;
        _duplicate = duplicate;
        _helper = helper;
    }

    /// <summary>A source of the buffer; called on each thread that reads it (a span cannot be captured).</summary>
    public delegate ReadOnlySpan<CommunityEvent> EventSpan();

    /// <summary>Duplicate ids found so far (all of them once the last chunk has been waited for).</summary>
    public int Duplicates { get; private set; }

    /// <summary>
    /// Makes the first <paramref name="count"/> events of the run available (event <c>i</c> is at <c>i</c> modulo
    /// the buffer length); <paramref name="complete"/> when no more will come, so that a last partial chunk can be
    /// checked. Queues a helper when a chunk is waiting to be checked, unless it is the last one of a complete run,
    /// which the caller is about to check itself.
    /// </summary>
    public void Publish(int count, bool complete)
    {
        // The count first: a thread that sees the run complete then sees its final count.
        Volatile.Write(ref _published, count);
        _complete = complete;
        var next = Volatile.Read(ref _checked);
        if (_helper && Checkable(next) && !(complete && !Checkable(next + 1)))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.Help(), this, preferLocal: false);
        }
    }

    /// <summary>
    /// Returns where chunk <paramref name="chunk"/> (published) lies in the buffer once it and every chunk before it
    /// are checked, checking them here when no other thread is; its flags are then read with <see cref="IsDuplicate"/>.
    /// </summary>
    public (int Offset, int Length) WaitFor(int chunk)
    {
        // While the helper checks, fingerprint the chunks after the one being checked; then wait (see Pause).
        var spin = default(SpinWait);
        while (true)
        {
            var changes = Volatile.Read(ref _changes);
            if (Volatile.Read(ref _checked) > chunk)
            {
                break;
            }

            if (TryCheckNext() || TryFingerprintAhead())
            {
                spin = default;
            }
            else
            {
                Pause(ref spin, changes);
            }
        }

        var from = chunk * ChunkLength;
        return (from % _bufferLength, Math.Min(ChunkLength, Volatile.Read(ref _published) - from));
    }

    /// <summary>Whether the event at <paramref name="offset"/> in the buffer had an id seen before (once its chunk has been waited for).</summary>
    public bool IsDuplicate(int offset) => _duplicate[offset];

    /// <summary>The helper: checks the chunks published so far. A failure (out of memory) is left for the caller, which meets it again checking that chunk itself.</summary>
    private void Help()
    {
        try
        {
            var spin = default(SpinWait);
            while (true)
            {
                var changes = Volatile.Read(ref _changes);
                if (!Checkable(Volatile.Read(ref _checked)))
                {
                    break;
                }

                if (TryCheckNext())
                {
                    spin = default;
                }
                else
                {
                    Pause(ref spin, changes);
                }
            }
        }
        catch (OutOfMemoryException)
        {
        }
    }

    /// <summary>
    /// Waits for the other thread: spins a little (it is usually a fraction of a chunk away), then blocks until it
    /// reports a change after <paramref name="changes"/> (<see cref="Changed"/>). Never spinning for long matters
    /// when the two threads share a core, or when the caller runs at a higher priority (as under a benchmark
    /// harness): a spinning caller would then keep the other thread from running at all.
    /// </summary>
    private void Pause(ref SpinWait spin, int changes)
    {
        if (spin.Count < _spinsBeforeBlocking)
        {
            spin.SpinOnce(sleep1Threshold: -1);
            return;
        }

        lock (_gate)
        {
            Interlocked.Increment(ref _waiters);
            while (Volatile.Read(ref _changes) == changes)
            {
                Monitor.Wait(_gate);
            }

            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <summary>Reports a change another thread may be waiting for: a chunk checked or fingerprinted, or the turn given up.</summary>
    private void Changed()
    {
        // The increment is a full fence: a waiter that registered before it is woken; one that registers after it
        // sees the new count and does not block.
        Interlocked.Increment(ref _changes);
        if (Volatile.Read(ref _waiters) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Whether chunk <paramref name="chunk"/> has all its events, or the run is complete and it has some.</summary>
    private bool Checkable(int chunk)
    {
        var complete = _complete;
        var published = Volatile.Read(ref _published);
        var from = (long)chunk * ChunkLength;
        return from + ChunkLength <= published || (complete && from < published);
    }

    /// <summary>
    /// Checks the next chunk if it is checkable and no other thread is checking one; <see langword="false"/> when
    /// another thread is (the caller waits for it). One checker at a time keeps the chunks in order.
    /// </summary>
    private bool TryCheckNext()
    {
        if (Interlocked.CompareExchange(ref _checking, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            if (Checkable(_checked))
            {
                CheckNext();
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
            Changed();
        }

        return true;
    }

    /// <summary>Checks the next chunk; called by the one thread checking, when it is checkable.</summary>
    private void CheckNext()
    {
        var chunk = _checked;
        var from = chunk * ChunkLength;
        var offset = from % _bufferLength;
        var length = Math.Min(ChunkLength, _published - from);
        var slot = chunk % PrintChunks;
        if (Volatile.Read(ref _printed[slot]) != chunk && !TryFingerprint(chunk))
        {
            // The caller is computing them.
            var spin = default(SpinWait);
            while (true)
            {
                var changes = Volatile.Read(ref _changes);
                if (Volatile.Read(ref _printed[slot]) == chunk)
                {
                    break;
                }

                Pause(ref spin, changes);
            }
        }

        var duplicate = _duplicate.AsSpan(offset, length);
        duplicate.Clear();
        Duplicates += _ids.AddRun(_prints.AsSpan(slot * ChunkLength, length), duplicate);
        Volatile.Write(ref _checked, chunk + 1);
    }

    /// <summary>
    /// Fingerprints the first chunk after the one being checked that no thread has claimed, if its events are
    /// published and its slot of the buffer is free; <see langword="false"/> when there is none. A waiting caller
    /// does this instead of spinning; it may be called at any time by the thread that publishes.
    /// </summary>
    internal bool TryFingerprintAhead()
    {
        var next = Volatile.Read(ref _checked);
        for (var chunk = next + 1; chunk < next + PrintChunks; chunk++)
        {
            if (Volatile.Read(ref _printClaimed[chunk % PrintChunks]) < chunk)
            {
                return Checkable(chunk) && TryFingerprint(chunk);
            }
        }

        return false;
    }

    /// <summary>
    /// Computes the fingerprints of chunk <paramref name="chunk"/> into its slot unless another thread has claimed
    /// them. The chunk must not be checked yet, so that its events are still in the buffer, and the chunk that used
    /// the slot before must be, so that its fingerprints are no longer needed.
    /// </summary>
    private bool TryFingerprint(int chunk)
    {
        var slot = chunk % PrintChunks;
        var claimed = Volatile.Read(ref _printClaimed[slot]);
        if (claimed >= chunk || Interlocked.CompareExchange(ref _printClaimed[slot], chunk, claimed) != claimed)
        {
            return false;
        }

        var from = chunk * ChunkLength;
        var events = _buffer().Slice(from % _bufferLength, Math.Min(ChunkLength, Volatile.Read(ref _published) - from));
        var prints = _prints.AsSpan(slot * ChunkLength, events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            prints[i] = _ids.Fingerprint(events[i].Id);
        }

        Volatile.Write(ref _printed[slot], chunk);
        Changed();
        return true;
    }
}
