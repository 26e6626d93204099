using System.Numerics;
using System.Runtime.InteropServices;
using CommunityFunnel.Events;

using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Activation;

/// <summary>
/// The state behind every activation calculation: joins as compact records and, per (group, member) pair, the
/// sorted instants of its qualifying events (and orders, for the funnel). Group, member and channel strings are
/// interned to ints once; adding an event allocates nothing except when a pair, a channel or a list is new or grows.
/// </summary>
/// <remarks>
/// Events may come in any order. With <c>compact</c>, a pair's qualifying instants are thinned so that no three
/// consecutive ones lie within one window: an instant whose neighbours are at most <c>W</c> apart can never decide
/// whether some <c>[joinAt, joinAt + W)</c> holds an event, so removing it keeps every answer exact for this
/// <c>W</c> while a pair keeps at most about two instants per window of time.
/// </remarks>
internal sealed class ActivationEngine
{
    public const string NoChannel = JoinActivation.NoChannel;
    private const int NoJoin = -1;

    /// <summary>A stream that is not a list is read into a ring of this many chunks (<see cref="RunIdCheck.ChunkLength"/>).</summary>
    private const int RingChunks = 3;

    /// <summary>Below this many events a run is checked one id at a time (sorting it or a second thread would cost more than it saves).</summary>
    private const int MinRun = 1 << 10;

    /// <summary>How many events ahead <see cref="AddRun"/> asks for the pair-table slot an event will need.</summary>
    private const int PairPrefetchDistance = 8;

    private readonly int _expectedIds;
    private FingerprintSet? _ids;
    private readonly int _qualifyingMask;
    private readonly bool _compact;
    private readonly bool _trackOrders;
    private readonly Dictionary<string, int> _groupIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _channelIndex = new(StringComparer.Ordinal);
    private readonly FingerprintTable _pairIndex;
    private string? _lastGroup;
    private int _lastGroupIndex;
    private string? _lastMember;
    private int _lastMemberGroup = -1;
    private int _lastPair;
    private (ulong Hi, ulong Lo)[]? _runPrints;
    private bool[]? _runDuplicate;
    private CommunityEvent[]? _runEvents;
    private PairState[] _pairs;
    private JoinRecord[] _joins;

    /// <summary>With <see cref="RejoinPolicy.First"/>, the id of each join (for ties); kept apart so that the other arrays hold no references.</summary>
    private string?[] _joinIds;
    private long[] _arena;
    private int _arenaUsed;

    /// <summary>
    /// Per power-of-two capacity, the first free block of the arena (a block left by a segment that moved to a larger
    /// one), or -1; a free block holds the start of the next one in its first slot.
    /// </summary>
    private readonly int[] _freeBlocks = Enumerable.Repeat(-1, 32).ToArray();

    public ActivationEngine(TimeSpan window, RejoinPolicy rejoin, IEnumerable<EventType> qualifyingTypes, bool compact, bool trackOrders, int expectedEvents = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Window = window;
        WindowTicks = window.Ticks;
        Rejoin = rejoin;
        foreach (var type in qualifyingTypes)
        {
            _qualifyingMask |= 1 << (int)type;
        }

        // Sized up front when the number of events is known (a list): no table is rebuilt while adding.
        var expected = Math.Clamp(expectedEvents, 0, 1 << 26);
        _expectedIds = expected;
        var pairs = Math.Max(256, expected / 8);
        _pairIndex = new FingerprintTable(pairs + (pairs / 3));
        _pairs = FreshPages.Allocate<PairState>(pairs);
        _joins = FreshPages.Allocate<JoinRecord>(pairs);
        _joinIds = rejoin == RejoinPolicy.First ? new string?[pairs] : [];
        _arena = FreshPages.Allocate<long>(Math.Max(1024, expected / 2));
        _compact = compact;
        _trackOrders = trackOrders;
    }

    public TimeSpan Window { get; }

    public long WindowTicks { get; }

    public RejoinPolicy Rejoin { get; }

    public int QualifyingMask => _qualifyingMask;

    public long Duplicates { get; private set; }

    public long Events { get; private set; }

    public int JoinCount { get; private set; }

    public int PairCount { get; private set; }

    public List<string> Groups { get; } = [];

    public List<string> Channels { get; } = [];

    /// <summary>Called, on the thread that adds events, with each new <c>invite_viewed</c> event before <c>asOf</c> (the funnel's attract step).</summary>
    public Action<CommunityEvent>? OnInviteViewed { get; set; }

    /// <summary>
    /// As <see cref="AddRun"/> on all of <paramref name="events"/>. An array or a list is checked in place; any other
    /// sequence is read into a ring of a few chunks, each chunk's ids being checked (on a second thread) while the
    /// next is read and its state added after that, so that events are held only briefly (few survive a collection).
    /// </summary>
    public void AddAll(IEnumerable<CommunityEvent> events, long asOf)
    {
        switch (events)
        {
            case CommunityEvent[] array:
                AddChecked(() => array, array.Length, asOf);
                return;
            case List<CommunityEvent> list:
                AddChecked(() => CollectionsMarshal.AsSpan(list), list.Count, asOf);
                return;
        }

        var ring = new CommunityEvent[RingChunks * RunIdCheck.ChunkLength];
        var check = NewCheck(() => ring, ring.Length);
        var read = 0;
        var slot = 0;
        foreach (var e in events)
        {
            ring[slot] = e;
            read++;
            slot = slot + 1 == ring.Length ? 0 : slot + 1;
            if (read % RunIdCheck.ChunkLength == 0)
            {
                check.Publish(read, complete: false);

                // One chunk behind the reading: the ids of the chunk before the one just read were checked meanwhile.
                // Its slots are cleared after, so that the ring keeps no event alive longer than needed.
                var chunk = (read / RunIdCheck.ChunkLength) - 2;
                if (chunk >= 0)
                {
                    AddChunk(check, ring, chunk, asOf);
                    Array.Clear(ring, chunk % RingChunks * RunIdCheck.ChunkLength, RunIdCheck.ChunkLength);
                }
            }
        }

        check.Publish(read, complete: true);
        for (var chunk = Math.Max(0, (read / RunIdCheck.ChunkLength) - 1); chunk * RunIdCheck.ChunkLength < read; chunk++)
        {
            AddChunk(check, ring, chunk, asOf);
        }

        Duplicates += check.Duplicates;
    }

    /// <summary>Counts an event whose id is new and adds its state unless it is at or after <paramref name="asOf"/>.</summary>
    private void AddNew(CommunityEvent e, long asOf)
    {
        Events++;
        if (e.AtUtcTicks < asOf)
        {
            AddUnseen(e);
        }
    }

    /// <summary>
    /// As <see cref="Seen"/> and <see cref="AddUnseen"/> on each event of <paramref name="events"/> in order, except
    /// that events at or after <paramref name="asOf"/> are only recorded as seen.
    /// </summary>
    public void AddRun(ReadOnlySpan<CommunityEvent> events, long asOf)
    {
        if (events.Length < MinRun)
        {
            foreach (var e in events)
            {
                if (Seen(e) && e.AtUtcTicks < asOf)
                {
                    AddUnseen(e);
                }
            }

            return;
        }

        // The helper thread that checks ids needs the events in an array (a span cannot cross threads).
        var copy = _runEvents is { } b && b.Length >= events.Length ? b : _runEvents = new CommunityEvent[events.Length];
        events.CopyTo(copy);
        try
        {
            AddChecked(() => copy, events.Length, asOf);
        }
        finally
        {
            Array.Clear(copy, 0, events.Length);
        }
    }

    /// <summary>
    /// Adds the first <paramref name="count"/> events of <paramref name="source"/>, as <see cref="AddRun(ReadOnlySpan{CommunityEvent}, long)"/>:
    /// a long run's ids are checked by <see cref="RunIdCheck"/>, a chunk ahead on a second thread, while this one adds
    /// the state of the new events of the chunks already checked.
    /// </summary>
    private void AddChecked(RunIdCheck.EventSpan source, int count, long asOf)
    {
        if (count < MinRun)
        {
            AddRun(source()[..count], asOf);
            return;
        }

        var check = NewCheck(source, count);
        check.Publish(count, complete: true);
        var events = source();
        for (var chunk = 0; chunk * RunIdCheck.ChunkLength < count; chunk++)
        {
            AddChunk(check, events, chunk, asOf);
        }

        Duplicates += check.Duplicates;
    }

    /// <summary>A check of events in a buffer of <paramref name="length"/> events against this engine's id set (the working space is reused).</summary>
    private RunIdCheck NewCheck(RunIdCheck.EventSpan buffer, int length)
    {
        if (_runDuplicate is null || _runDuplicate.Length < length)
        {
            _runDuplicate = new bool[length];
        }

        return new RunIdCheck(buffer, length, Ids, _runPrints ??= new (ulong, ulong)[RunIdCheck.PrintsLength], _runDuplicate);
    }

    /// <summary>Waits for a chunk's ids to be checked, then adds its new events (asking a few events ahead for their pairs' slots).</summary>
    private void AddChunk(RunIdCheck check, ReadOnlySpan<CommunityEvent> buffer, int chunk, long asOf)
    {
        var (offset, length) = check.WaitFor(chunk);
        var events = buffer.Slice(offset, length);
        for (var i = 0; i < events.Length; i++)
        {
            if (i + PairPrefetchDistance < events.Length)
            {
                PrefetchPair(events[i + PairPrefetchDistance], events[i + PairPrefetchDistance - 1]);
            }

            if (!check.IsDuplicate(offset + i))
            {
                AddNew(events[i], asOf);
            }
        }
    }

    /// <summary>
    /// Asks for the pair-table slot of <paramref name="e"/> ahead of time, unless it is the pair of the event before it
    /// (which <see cref="PairOf"/> finds without a probe), its type needs no pair, or its group is not known yet.
    /// </summary>
    private void PrefetchPair(CommunityEvent e, CommunityEvent previous)
    {
        if ((ReferenceEquals(e.Member, previous.Member) && ReferenceEquals(e.Group, previous.Group)) || !NeedsPair(e.Type))
        {
            return;
        }

        int g;
        if (ReferenceEquals(e.Group, _lastGroup))
        {
            g = _lastGroupIndex;
        }
        else if (!_groupIndex.TryGetValue(e.Group, out g))
        {
            return;
        }

        var (hi, lo) = _pairIndex.Fingerprint((ulong)g + 1, e.Member);
        _pairIndex.Prefetch(hi, lo);
    }

    /// <summary>Whether an event of this type adds state to its pair (a join, a qualifying event, or an order the funnel tracks).</summary>
    private bool NeedsPair(EventType type) =>
        type == EventType.Joined || (_qualifyingMask & (1 << (int)type)) != 0 || (_trackOrders && type == EventType.Order);

    /// <summary>Adds the state of an event whose id was already recorded as seen (by <see cref="Seen"/>).</summary>
    public void AddUnseen(CommunityEvent e)
    {
        var type = e.Type;
        if (type == EventType.InviteViewed)
        {
            OnInviteViewed?.Invoke(e);
            return;
        }

        if (!NeedsPair(type))
        {
            return;
        }

        var qualifies = (_qualifyingMask & (1 << (int)type)) != 0;
        var isOrder = _trackOrders && type == EventType.Order;
        var pair = PairOf(e.Group, e.Member);
        var at = e.AtUtcTicks;
        if (type == EventType.Joined)
        {
            AddJoin(pair, e, at);
        }

        ref var state = ref _pairs[pair];
        if (qualifies)
        {
            Insert(ref state.Activity, at, _compact ? WindowTicks : 0);
        }

        if (isOrder)
        {
            Insert(ref state.Orders, at, 0);
        }
    }

    /// <summary>Records the id of an event that needs no other state; <see langword="false"/> (and counted) when seen before.</summary>
    public bool Seen(CommunityEvent e)
    {
        if (Ids.Add(e.Id))
        {
            Events++;
            return true;
        }

        Duplicates++;
        return false;
    }

    private FingerprintSet Ids => _ids ??= new FingerprintSet(_expectedIds);

    public ref readonly JoinRecord Join(int index) => ref _joins[index];

    public int GroupOfPair(int pair) => _pairs[pair].Group;

    /// <summary>Whether <paramref name="join"/> counts under the rejoin policy (with <c>first</c>, only each pair's earliest does).</summary>
    public bool Counts(int join) => Rejoin == RejoinPolicy.Every || _pairs[_joins[join].Pair].Join == join;

    /// <summary>The first qualifying instant of the pair at or after <paramref name="from"/>, or <see cref="long.MaxValue"/>.</summary>
    public long FirstActivityAtOrAfter(int pair, long from) => FirstAtOrAfter(_pairs[pair].Activity, from);

    /// <summary>The first order instant of the pair at or after <paramref name="from"/>, or <see cref="long.MaxValue"/>.</summary>
    public long FirstOrderAtOrAfter(int pair, long from) => FirstAtOrAfter(_pairs[pair].Orders, from);

    private long FirstAtOrAfter(Segment segment, long from)
    {
        if (segment.Count == 0)
        {
            return long.MaxValue;
        }

        var times = _arena.AsSpan(segment.Start, segment.Count);
        if (times[^1] < from)
        {
            return long.MaxValue;
        }

        return times[LowerBound(times, from)];
    }

    /// <summary>The first index whose value is at least <paramref name="value"/> (or the length).</summary>
    private static int LowerBound(ReadOnlySpan<long> times, long value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (times[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Inserts <paramref name="at"/> into a pair's sorted segment of the arena, thinning or moving it when full.</summary>
    private void Insert(ref Segment segment, long at, long compactWindow)
    {
        if (segment.Capacity == 0)
        {
            segment.Start = Allocate(2);
            segment.Capacity = 2;
        }
        else if (segment.Count == segment.Capacity)
        {
            if (compactWindow > 0)
            {
                segment.Count = Compact(_arena.AsSpan(segment.Start, segment.Count), compactWindow);
            }

            if (segment.Count > segment.Capacity / 2 || compactWindow == 0)
            {
                // Move to a block twice as large; the old one is kept for the next segment of its size.
                var capacity = checked(segment.Capacity * 2);
                var start = Allocate(capacity);
                _arena.AsSpan(segment.Start, segment.Count).CopyTo(_arena.AsSpan(start));
                Free(segment.Start, segment.Capacity);
                segment.Start = start;
                segment.Capacity = capacity;
            }
        }

        var times = _arena.AsSpan(segment.Start, segment.Count + 1);
        var count = segment.Count;
        segment.Count++;
        if (count == 0 || times[count - 1] <= at)
        {
            times[count] = at;
            return;
        }

        var i = LowerBound(times[..count], at);
        times[i..count].CopyTo(times[(i + 1)..]);
        times[i] = at;
    }

    /// <summary>
    /// Reserves a block of <paramref name="length"/> instants (a power of two): a free one of that size if there is
    /// one, else at the end of the arena, growing it when needed.
    /// </summary>
    private int Allocate(int length)
    {
        ref var free = ref _freeBlocks[BitOperations.Log2((uint)length)];
        if (free >= 0)
        {
            var block = free;
            free = (int)_arena[block];
            return block;
        }

        var start = _arenaUsed;
        var end = checked(start + length);
        if (end > _arena.Length)
        {
            FreshPages.Resize(ref _arena, Math.Max(end, (int)Math.Min(Array.MaxLength, 2L * _arena.Length)));
        }

        _arenaUsed = end;
        return start;
    }

    /// <summary>Returns a block from <see cref="Allocate"/> for reuse.</summary>
    private void Free(int block, int length)
    {
        ref var free = ref _freeBlocks[BitOperations.Log2((uint)length)];
        _arena[block] = free;
        free = block;
    }

    /// <summary>As <see cref="Compact(Span{long}, long)"/> on the first <paramref name="count"/> items of an array.</summary>
    internal static int Compact(long[] times, int count, long window) => Compact(times.AsSpan(0, count), window);

    /// <summary>Drops every instant whose kept predecessor and successor are at most <paramref name="window"/> apart.</summary>
    internal static int Compact(Span<long> times, long window)
    {
        var count = times.Length;
        if (count < 3)
        {
            return count;
        }

        var kept = 1;
        for (var i = 1; i < count - 1; i++)
        {
            if (times[i + 1] - times[kept - 1] > window)
            {
                times[kept++] = times[i];
            }
        }

        times[kept++] = times[count - 1];
        return kept;
    }

    private int PairOf(string group, string member)
    {
        int g;
        if (ReferenceEquals(group, _lastGroup))
        {
            g = _lastGroupIndex;
        }
        else
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_groupIndex, group, out var groupExists);
            if (!groupExists)
            {
                index = Groups.Count;
                Groups.Add(group);
            }

            g = index;
            _lastGroup = group;
            _lastGroupIndex = g;
        }

        // Logs come in runs of one member's events, usually sharing one string instance: the same instance in the
        // same group is the same pair, so the hash and the table probe are skipped.
        if (ReferenceEquals(member, _lastMember) && g == _lastMemberGroup)
        {
            return _lastPair;
        }

        var p = _pairIndex.GetOrAdd((ulong)g + 1, member, PairCount, out var pairAdded);
        if (pairAdded)
        {
            if (p == _pairs.Length)
            {
                FreshPages.Resize(ref _pairs, checked(_pairs.Length * 2));
            }

            _pairs[p] = new PairState { Group = g, Join = NoJoin };
            PairCount++;
        }

        _lastMember = member;
        _lastMemberGroup = g;
        _lastPair = p;
        return p;
    }

    private int ChannelOf(string? channel)
    {
        ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(_channelIndex, channel ?? NoChannel, out var exists);
        if (!exists)
        {
            c = Channels.Count;
            Channels.Add(channel ?? NoChannel);
        }

        return c;
    }

    private void AddJoin(int pair, CommunityEvent e, long at)
    {
        var record = new JoinRecord(at, pair, ChannelOf(e.Channel), JoinActivation.IsExcluded(e.EffectiveRole), e.EffectiveAttribution);
        ref var state = ref _pairs[pair];
        if (Rejoin == RejoinPolicy.First && state.Join != NoJoin)
        {
            ref var current = ref _joins[state.Join];
            if (JoinActivation.IsEarlier(at, e.Id, current.At, _joinIds[state.Join]))
            {
                current = record;
                _joinIds[state.Join] = e.Id;
            }

            return;
        }

        if (JoinCount == _joins.Length)
        {
            FreshPages.Resize(ref _joins, checked(_joins.Length * 2));
            if (Rejoin == RejoinPolicy.First)
            {
                Array.Resize(ref _joinIds, _joins.Length);
            }
        }

        _joins[JoinCount] = record;
        if (Rejoin == RejoinPolicy.First)
        {
            state.Join = JoinCount;
            _joinIds[JoinCount] = e.Id;
        }

        JoinCount++;
    }

    /// <summary>One join: 20 bytes (instant, pair, channel, staff-or-bot flag, channel attribution).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct JoinRecord(long At, int Pair, int Channel, bool Excluded, ChannelAttribution Attribution);

    private struct PairState
    {
        public int Group;
        public int Join;
        public Segment Activity;
        public Segment Orders;
    }

    /// <summary>A pair's sorted instants: <see cref="Count"/> of <see cref="Capacity"/> slots of the arena from <see cref="Start"/>.</summary>
    private struct Segment
    {
        public int Start;
        public int Count;
        public int Capacity;
    }
}
