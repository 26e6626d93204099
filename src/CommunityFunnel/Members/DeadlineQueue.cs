namespace CommunityFunnel.Members;

/// <summary>
/// A 4-ary min-heap of (due instant, member slot, version): every member's next deadline. Entries are never
/// removed in place: an entry whose version no longer matches its member's is stale and skipped when it surfaces
/// (lazy deletion). Ties are broken by slot, so processing order is deterministic. Four children a node (64
/// bytes of entries) halve the depth of a binary heap: fewer cache misses per pop on a million members.
/// </summary>
internal sealed class DeadlineQueue
{
    private Entry[] _heap;

    public DeadlineQueue(int capacity = 16) => _heap = new Entry[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public DeadlineQueue Clone() => new((Entry[])_heap.Clone(), Count);

    private DeadlineQueue(Entry[] heap, int count)
    {
        _heap = heap;
        Count = count;
    }

    public void Push(long due, int slot, int version)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, checked(_heap.Length * 2));
        }

        var i = Count++;
        var entry = new Entry(due, slot, version);
        while (i > 0)
        {
            var parent = (i - 1) >> 2;
            if (!Less(entry, _heap[parent]))
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = entry;
    }

    /// <summary>Takes the earliest entry due at or before <paramref name="now"/>, if any.</summary>
    public bool TryPopDue(long now, out long due, out int slot, out int version)
    {
        if (Count == 0 || _heap[0].Due > now)
        {
            due = 0;
            slot = 0;
            version = 0;
            return false;
        }

        var top = _heap[0];
        due = top.Due;
        slot = top.Slot;
        version = top.Version;
        var last = _heap[--Count];
        var i = 0;
        while (true)
        {
            var first = (4 * i) + 1;
            if (first >= Count)
            {
                break;
            }

            var child = first;
            var end = Math.Min(first + 4, Count);
            for (var c = first + 1; c < end; c++)
            {
                if (Less(_heap[c], _heap[child]))
                {
                    child = c;
                }
            }

            if (!Less(_heap[child], last))
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        if (Count > 0)
        {
            _heap[i] = last;
        }

        return true;
    }

    private static bool Less(in Entry a, in Entry b) => a.Due < b.Due || (a.Due == b.Due && a.Slot < b.Slot);

    private readonly record struct Entry(long Due, int Slot, int Version);
}
