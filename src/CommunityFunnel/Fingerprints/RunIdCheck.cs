using CommunityFunnel.Events;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// The ids of a run of events checked against an id set chunk by chunk, in run order, so that the caller can add
/// the state of the chunks already checked while a helper thread checks the next ones: the two halves of the work
/// touch different memory (the id set; the caller's own tables) and overlap on two cores.
/// </summary>
/// <remarks>
/// One thread checks at a time (under a lock) and always the next unchecked chunk, so the set sees the ids in run
/// order and the first event with an id wins, exactly as with one <see cref="FingerprintSet.Add(string)"/> an
/// event. The caller checks a chunk itself when it gets there first (<see cref="WaitFor"/>), so a run never waits
/// for a helper that the thread pool has not started; a helper that starts after the run is over finds nothing to
/// do and touches nothing. A chunk is checked with <see cref="FingerprintSet.AddRun"/>.
/// </remarks>
internal sealed class RunIdCheck
{
    /// <summary>Events a chunk: small enough for the helper to stay a chunk or more ahead, large enough to sort.</summary>
    public const int ChunkLength = 1 << 13;

    private readonly object _gate = new();
    private readonly EventSpan _events;
    private readonly FingerprintSet _ids;
    private readonly (ulong Hi, ulong Lo)[] _prints;
    private readonly bool[] _duplicate;
    private readonly int _count;
    private readonly int _chunks;
    private int _checked;

    private RunIdCheck(EventSpan events, int count, FingerprintSet ids, (ulong Hi, ulong Lo)[] prints, bool[] duplicate)
    {
        _events = events;
        _count = count;
        _chunks = (count + ChunkLength - 1) / ChunkLength;
        _ids = ids;
        _prints = prints;
        _duplicate = duplicate;
    }

    /// <summary>A source of the events; called on each thread that reads them (a span cannot be captured).</summary>
    public delegate ReadOnlySpan<CommunityEvent> EventSpan();

    /// <summary>Duplicate ids found so far (all of them once <see cref="WaitFor"/> has returned for the last chunk).</summary>
    public int Duplicates { get; private set; }

    /// <summary>
    /// Starts checking the first <paramref name="count"/> events of <paramref name="events"/> against
    /// <paramref name="ids"/>, with a helper thread when there is more than one chunk. <paramref name="prints"/>
    /// (at least <see cref="ChunkLength"/> long) and <paramref name="duplicate"/> (at least <paramref name="count"/>
    /// long, all false) are working space the caller may reuse once the last chunk has been waited for. Without
    /// <paramref name="helper"/> (for tests) the caller checks every chunk itself.
    /// </summary>
    public static RunIdCheck Start(EventSpan events, int count, FingerprintSet ids, (ulong Hi, ulong Lo)[] prints, bool[] duplicate, bool helper = true)
    {
        var check = new RunIdCheck(events, count, ids, prints, duplicate);
        if (helper && check._chunks > 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.Help(), check, preferLocal: false);
        }

        return check;
    }

    /// <summary>Whether event <paramref name="index"/> had an id seen before (valid once its chunk has been waited for).</summary>
    public bool IsDuplicate(int index) => _duplicate[index];

    /// <summary>Returns once chunk <paramref name="chunk"/> (and every one before it) is checked, checking it here if the helper has not.</summary>
    public void WaitFor(int chunk)
    {
        while (Volatile.Read(ref _checked) <= chunk)
        {
            lock (_gate)
            {
                if (_checked <= chunk)
                {
                    CheckNext();
                }
            }
        }
    }

    /// <summary>The helper: checks chunks until none is left. A failure (out of memory) is left for the caller, which meets it again checking that chunk itself.</summary>
    private void Help()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_checked == _chunks)
                    {
                        return;
                    }

                    CheckNext();
                }
            }
        }
        catch (OutOfMemoryException)
        {
        }
    }

    /// <summary>Checks the next chunk; called under the lock.</summary>
    private void CheckNext()
    {
        var from = _checked * ChunkLength;
        var events = _events().Slice(from, Math.Min(ChunkLength, _count - from));
        var prints = _prints.AsSpan(0, events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            prints[i] = _ids.Fingerprint(events[i].Id);
        }

        Duplicates += _ids.AddRun(prints, _duplicate.AsSpan(from, events.Length));
        Volatile.Write(ref _checked, _checked + 1);
    }
}
