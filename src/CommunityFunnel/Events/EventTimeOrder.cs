namespace CommunityFunnel.Events;

/// <summary>
/// Puts events into the order the replays process them, (instant, id by ordinal), ties on both broken by arrival
/// order, within a bounded amount of memory (<see cref="EventOrderOptions"/>); the output is exactly that of a stable
/// sort of the whole log.
/// </summary>
/// <remarks>
/// <para>
/// Events go through a reorder buffer, a min-heap of at most the budget's events. Once the buffer holds more than
/// its budget, its smallest event moves out into the current sorted run (replacement selection). An event earlier
/// than the last one moved out is late: it cannot join the current run, so it is marked for the next one. A log
/// that is never further out of order than the buffer's size thus makes a single run; a shuffled one makes runs
/// of about twice the buffer's size.
/// </para>
/// <para>
/// A later line may be earlier than any event seen so far (the spec allows lines in any order), so no event can be
/// handed on before the last line has been read. When the whole log fits in the buffer nothing is written: the
/// buffer is emptied in order. Otherwise the runs are in temporary files (<see cref="EventRunFile"/>) and are
/// k-way merged with the buffer's remaining events (sorted in memory); with more runs than
/// <see cref="MaxFanIn"/>, groups of them are merged into longer runs first. Memory stays O(budget + fan-in
/// buffers), flat in the log's length.
/// </para>
/// <para>
/// Each <see cref="Order"/> enumeration deletes its files when it ends: completed, disposed early (a consumer's
/// <c>break</c>) or by an exception from the source or the consumer. Not thread-safe; one enumeration at a time.
/// </para>
/// </remarks>
internal sealed class EventTimeOrder
{
    private readonly int _budget;
    private readonly string _directory;
    private long _events;
    private long _maxBuffered;
    private long _late;
    private int _runs;
    private long _spilledEvents;
    private long _spilledBytes;
    private int _passes;
    private bool _windowExceeded;

    /// <summary>Creates an orderer; <paramref name="options"/> default to <see cref="EventOrderOptions"/>'s defaults.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the parameter name is the option's.</exception>
    public EventTimeOrder(EventOrderOptions? options = null)
    {
        options ??= new EventOrderOptions();
        options.Validate();
        _budget = options.BufferedEvents;
        _directory = options.Directory;
    }

    /// <summary>The streaming window's first size, in events (default 65,536; it grows up to the budget as late events need); tests lower it.</summary>
    internal int InitialWindow { get; init; } = 1 << 16;

    /// <summary>The most run files merged at once (default 64); tests lower it to take the multi-pass merge.</summary>
    internal int MaxFanIn { get; init; } = 64;

    /// <summary>What the orderings so far took; final once an enumeration has ended.</summary>
    public EventOrderStatistics Statistics => new()
    {
        Events = _events,
        MaxBuffered = _maxBuffered,
        LateEvents = _late,
        SpilledRuns = _runs,
        SpilledEvents = _spilledEvents,
        SpilledBytes = _spilledBytes,
        Passes = _passes,
    };

    /// <summary>
    /// Whether the last <see cref="OrderWithinWindow"/> stopped early: an event came earlier than one it had handed
    /// on already, so what it yielded is not the log in order and the caller must start over with <see cref="Order"/>.
    /// </summary>
    public bool WindowExceeded => _windowExceeded;

    /// <summary>Compares by instant, then id by ordinal, then arrival.</summary>
    internal static int Compare(long ticksA, string idA, long seqA, long ticksB, string idB, long seqB)
    {
        if (ticksA != ticksB)
        {
            return ticksA < ticksB ? -1 : 1;
        }

        var c = string.CompareOrdinal(idA, idB);
        return c != 0 ? c : seqA.CompareTo(seqB);
    }

    /// <summary>
    /// The events of <paramref name="source"/> (read once, in arrival order) in time order. Nothing is yielded before
    /// <paramref name="source"/> has ended.
    /// </summary>
    public IEnumerable<CommunityEvent> Order(IEnumerable<CommunityEvent> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (MaxFanIn < 2)
        {
            throw new InvalidOperationException("MaxFanIn must be at least 2.");
        }

        return OrderCore(source);
    }

    /// <summary>
    /// The events of <paramref name="source"/> in time order, handed on as they leave the reorder buffer (the
    /// budget's events) instead of after the last line: nothing is spilled and memory is the buffer's. Correct as
    /// long as no event comes earlier than one already handed on, which holds for a log never further out of order
    /// than the buffer's size; the first event that does stops the enumeration and sets <see cref="WindowExceeded"/>,
    /// and the caller starts over (from a fresh state, reading the log again) with <see cref="Order"/>. The window
    /// in use starts at <see cref="InitialWindow"/> events and doubles, up to the budget, each time a late event
    /// arrives in the older half of the window's time span.
    /// </summary>
    public IEnumerable<CommunityEvent> OrderWithinWindow(IEnumerable<CommunityEvent> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return OrderWithinWindowCore(source);
    }

    private IEnumerable<CommunityEvent> OrderWithinWindowCore(IEnumerable<CommunityEvent> source)
    {
        BeginPass();

        // The buffer is two parts: the events that came in order (each at or after every event before it) wait in a
        // queue, which is sorted by construction; only the others go into the heap. Together they hold the same
        // events a single heap would, and the smaller of their heads is the buffer's smallest, so the output is the
        // same, but in a nearly ordered log most events cost a queue step instead of a heap's log n comparisons.
        var inOrder = new Queue<(CommunityEvent Event, HeapKey Key)>();
        var heap = new PriorityQueue<CommunityEvent, HeapKey>(HeapKeyComparer.Instance);
        var comparer = HeapKeyComparer.Instance;
        var released = false;
        HeapKey last = default; // the last event handed on
        HeapKey newest = default; // the queue's tail: the largest event seen
        long seq = 0;

        // The window starts small and doubles, up to the budget, whenever a late event lands in its older half
        // (in time between the last event handed on and the newest): events that leave a small window soon are
        // collected young, while a million buffered events would all live long enough to be copied by the GC.
        var window = Math.Min(_budget, InitialWindow);
        foreach (var e in source)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(source));
            var key = new HeapKey(0, e.AtUtcTicks, e.Id, seq);
            if (released && comparer.Compare(key, last) < 0)
            {
                _windowExceeded = true;
                _late++;
                yield break;
            }

            if (seq == 0 || comparer.Compare(key, newest) >= 0)
            {
                inOrder.Enqueue((e, key));
                newest = key;
            }
            else
            {
                heap.Enqueue(e, key);
                if (released && window < _budget && key.Ticks - last.Ticks < (newest.Ticks - last.Ticks) / 2)
                {
                    window = (int)Math.Min(_budget, window * 2L);
                }
            }

            seq++;
            _events++;
            if (inOrder.Count + heap.Count > window)
            {
                released = true;
                yield return TakeSmallest(inOrder, heap, out last);
            }
            else if (inOrder.Count + heap.Count > _maxBuffered)
            {
                _maxBuffered = inOrder.Count + heap.Count;
            }
        }

        while (inOrder.Count + heap.Count > 0)
        {
            yield return TakeSmallest(inOrder, heap, out _);
        }
    }

    /// <summary>Takes the smaller of the queue's and the heap's heads (at least one is not empty).</summary>
    private static CommunityEvent TakeSmallest(Queue<(CommunityEvent Event, HeapKey Key)> inOrder, PriorityQueue<CommunityEvent, HeapKey> heap, out HeapKey key)
    {
        if (heap.TryPeek(out var top, out var topKey) && (inOrder.Count == 0 || HeapKeyComparer.Instance.Compare(topKey, inOrder.Peek().Key) < 0))
        {
            heap.Dequeue();
            key = topKey;
            return top;
        }

        var head = inOrder.Dequeue();
        key = head.Key;
        return head.Event;
    }

    private void BeginPass()
    {
        _passes++;
        _windowExceeded = false;
        _events = _maxBuffered = _late = _spilledEvents = _spilledBytes = 0;
        _runs = 0;
    }

    private IEnumerable<CommunityEvent> OrderCore(IEnumerable<CommunityEvent> source)
    {
        BeginPass();
        var heap = new PriorityQueue<CommunityEvent, HeapKey>(HeapKeyComparer.Instance);
        var files = new List<string>(); // every file made, to delete at the end
        var runs = new Queue<string>(); // completed runs not yet merged
        var readers = new List<EventRunFile.Reader>();
        EventRunFile.Writer? writer = null;
        var run = 0;
        var released = false;
        long lastTicks = 0;
        var lastId = string.Empty;
        long lastSeq = 0;
        long seq = 0;
        try
        {
            foreach (var e in source)
            {
                ArgumentNullException.ThrowIfNull(e, nameof(source));
                var ticks = e.AtUtcTicks;
                var tag = run;
                if (released && Compare(ticks, e.Id, seq, lastTicks, lastId, lastSeq) < 0)
                {
                    tag = run + 1; // cannot join the current run: it is already past this event
                    _late++;
                }

                heap.Enqueue(e, new HeapKey(tag, ticks, e.Id, seq));
                seq++;
                _events++;
                if (heap.Count > _budget)
                {
                    heap.TryDequeue(out var next, out var key);
                    if (key.Run != run)
                    {
                        // Only events of the next run are left in the buffer's top: the current run is complete.
                        CompleteRun(ref writer, runs);
                        run = key.Run;
                    }

                    if (writer is null)
                    {
                        var path = EventRunFile.NewPath(_directory);
                        files.Add(path);
                        writer = new EventRunFile.Writer(path);
                        _runs++;
                    }

                    writer.Write(next!, key.Seq);
                    released = true;
                    (lastTicks, lastId, lastSeq) = (key.Ticks, key.Id, key.Seq);
                }
                else if (heap.Count > _maxBuffered)
                {
                    _maxBuffered = heap.Count;
                }
            }

            if (!released)
            {
                // The whole log fitted in the buffer: every event is in run 0, and the heap gives them in order.
                while (heap.TryDequeue(out var e, out _))
                {
                    yield return e;
                }

                yield break;
            }

            CompleteRun(ref writer, runs);

            // The buffer's rest (of the current run and the next) as one sorted run in memory.
            var tail = new (CommunityEvent Event, HeapKey Key)[heap.Count];
            var n = 0;
            foreach (var item in heap.UnorderedItems)
            {
                tail[n++] = (item.Element, item.Priority);
            }

            heap.Clear();
            Array.Sort(tail, static (a, b) => Compare(a.Key.Ticks, a.Key.Id, a.Key.Seq, b.Key.Ticks, b.Key.Id, b.Key.Seq));

            // Too many runs for one merge: merge the oldest into longer runs first (each pass deletes its inputs).
            while (runs.Count > MaxFanIn)
            {
                var group = new List<EventRunFile.Reader>();
                try
                {
                    for (var i = 0; i < MaxFanIn; i++)
                    {
                        var input = runs.Dequeue();
                        group.Add(new EventRunFile.Reader(input));
                    }

                    var path = EventRunFile.NewPath(_directory);
                    files.Add(path);
                    using var merged = new EventRunFile.Writer(path);
                    _runs++;
                    foreach (var (e, s) in Merge(group, []))
                    {
                        merged.Write(e, s);
                    }

                    merged.Complete();
                    _spilledEvents += merged.Events;
                    _spilledBytes += merged.Bytes;
                    runs.Enqueue(path);
                }
                finally
                {
                    foreach (var r in group)
                    {
                        r.Dispose();
                    }
                }
            }

            while (runs.Count > 0)
            {
                readers.Add(new EventRunFile.Reader(runs.Dequeue()));
            }

            foreach (var (e, _) in Merge(readers, tail))
            {
                yield return e;
            }
        }
        finally
        {
            writer?.Dispose();
            foreach (var r in readers)
            {
                r.Dispose();
            }

            foreach (var path in files)
            {
                TryDelete(path);
            }
        }

        void CompleteRun(ref EventRunFile.Writer? current, Queue<string> completed)
        {
            if (current is null)
            {
                return;
            }

            current.Complete();
            _spilledEvents += current.Events;
            _spilledBytes += current.Bytes;
            completed.Enqueue(current.Path);
            current.Dispose();
            current = null;
        }
    }

    /// <summary>The k-way merge of sorted run files and one sorted run in memory, with each event's arrival number.</summary>
    private static IEnumerable<(CommunityEvent Event, long Seq)> Merge(List<EventRunFile.Reader> files, (CommunityEvent Event, HeapKey Key)[] memory)
    {
        // Source i < files.Count is a file; source files.Count is the memory run.
        var heap = new PriorityQueue<int, HeapKey>(files.Count + 1, HeapKeyComparer.Instance);
        var current = new CommunityEvent[files.Count + 1];
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].TryRead(out var e, out var s))
            {
                current[i] = e;
                heap.Enqueue(i, new HeapKey(0, e.AtUtcTicks, e.Id, s));
            }
        }

        var m = 0;
        if (memory.Length > 0)
        {
            current[files.Count] = memory[0].Event;
            heap.Enqueue(files.Count, memory[0].Key with { Run = 0 });
            m = 1;
        }

        while (heap.TryDequeue(out var source, out var key))
        {
            yield return (current[source], key.Seq);
            if (source < files.Count)
            {
                if (files[source].TryRead(out var e, out var s))
                {
                    current[source] = e;
                    heap.Enqueue(source, new HeapKey(0, e.AtUtcTicks, e.Id, s));
                }
            }
            else if (m < memory.Length)
            {
                current[source] = memory[m].Event;
                heap.Enqueue(source, memory[m].Key with { Run = 0 });
                m++;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a file that cannot be deleted now is left for the system's temp cleaning.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>A buffered event's place: its run, then its instant, id and arrival number.</summary>
    private readonly record struct HeapKey(int Run, long Ticks, string Id, long Seq);

    private sealed class HeapKeyComparer : IComparer<HeapKey>
    {
        public static readonly HeapKeyComparer Instance = new();

        public int Compare(HeapKey x, HeapKey y) =>
            x.Run != y.Run ? x.Run.CompareTo(y.Run) : EventTimeOrder.Compare(x.Ticks, x.Id, x.Seq, y.Ticks, y.Id, y.Seq);
    }
}
