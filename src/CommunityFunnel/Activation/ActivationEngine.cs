using System.Runtime.InteropServices;
using CommunityFunnel.Events;

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
    public const string NoChannel = "(none)";
    private const int NoJoin = -1;

    private readonly FingerprintTable? _ids;
    private readonly int _qualifyingMask;
    private readonly bool _compact;
    private readonly bool _trackOrders;
    private readonly Dictionary<string, int> _groupIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _channelIndex = new(StringComparer.Ordinal);
    private readonly FingerprintTable _pairIndex = new();
    private string? _lastGroup;
    private int _lastGroupIndex;
    private PairState[] _pairs = new PairState[256];
    private JoinRecord[] _joins = new JoinRecord[256];

    public ActivationEngine(TimeSpan window, RejoinPolicy rejoin, IEnumerable<EventType> qualifyingTypes, bool deduplicate, bool compact, bool trackOrders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Window = window;
        WindowTicks = window.Ticks;
        Rejoin = rejoin;
        foreach (var type in qualifyingTypes)
        {
            _qualifyingMask |= 1 << (int)type;
        }

        _ids = deduplicate ? new FingerprintTable() : null;
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

    /// <summary>Adds one event; <see langword="false"/> when its id was seen before (it is then ignored and counted).</summary>
    public bool Add(CommunityEvent e)
    {
        if (!Seen(e))
        {
            return false;
        }

        var type = e.Type;
        var qualifies = (_qualifyingMask & (1 << (int)type)) != 0;
        var isOrder = _trackOrders && type == EventType.Order;
        if (type != EventType.Joined && !qualifies && !isOrder)
        {
            return true;
        }

        var pair = PairOf(e.Group, e.Member);
        var at = e.AtUtcTicks;
        if (type == EventType.Joined)
        {
            AddJoin(pair, e, at);
        }

        ref var state = ref _pairs[pair];
        if (qualifies)
        {
            Insert(ref state.Activity, ref state.ActivityCount, at, _compact ? WindowTicks : 0);
        }

        if (isOrder)
        {
            Insert(ref state.Orders, ref state.OrderCount, at, 0);
        }

        return true;
    }

    /// <summary>Records the id of an event that needs no other state; <see langword="false"/> (and counted) when seen before.</summary>
    public bool Seen(CommunityEvent e)
    {
        if (_ids is not null)
        {
            _ids.GetOrAdd(0, e.Id, 0, out var added);
            if (added)
            {
                Events++;
                return true;
            }

            Duplicates++;
            return false;
        }

        Events++;
        return true;
    }

    public ref readonly JoinRecord Join(int index) => ref _joins[index];

    public int GroupOfPair(int pair) => _pairs[pair].Group;

    /// <summary>Whether <paramref name="join"/> counts under the rejoin policy (with <c>first</c>, only each pair's earliest does).</summary>
    public bool Counts(int join) => Rejoin == RejoinPolicy.Every || _pairs[_joins[join].Pair].Join == join;

    /// <summary>The first qualifying instant of the pair at or after <paramref name="from"/>, or <see cref="long.MaxValue"/>.</summary>
    public long FirstActivityAtOrAfter(int pair, long from)
    {
        ref readonly var state = ref _pairs[pair];
        return FirstAtOrAfter(state.Activity, state.ActivityCount, from);
    }

    /// <summary>The first order instant of the pair at or after <paramref name="from"/>, or <see cref="long.MaxValue"/>.</summary>
    public long FirstOrderAtOrAfter(int pair, long from)
    {
        ref readonly var state = ref _pairs[pair];
        return FirstAtOrAfter(state.Orders, state.OrderCount, from);
    }

    private static long FirstAtOrAfter(long[]? times, int count, long from)
    {
        if (times is null || count == 0)
        {
            return long.MaxValue;
        }

        if (times[count - 1] < from)
        {
            return long.MaxValue;
        }

        var i = LowerBound(times, count, from);
        return times[i];
    }

    /// <summary>The first index whose value is at least <paramref name="value"/> (or <paramref name="count"/>).</summary>
    private static int LowerBound(long[] times, int count, long value)
    {
        int lo = 0, hi = count;
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

    private static void Insert(ref long[]? times, ref int count, long at, long compactWindow)
    {
        if (times is null)
        {
            times = new long[2];
        }
        else if (count == times.Length)
        {
            if (compactWindow > 0)
            {
                count = Compact(times, count, compactWindow);
            }

            if (count > times.Length / 2 || compactWindow == 0)
            {
                Array.Resize(ref times, checked(times.Length * 2));
            }
        }

        if (count == 0 || times[count - 1] <= at)
        {
            times[count++] = at;
            return;
        }

        var i = LowerBound(times, count, at);
        Array.Copy(times, i, times, i + 1, count - i);
        times[i] = at;
        count++;
    }

    /// <summary>Drops every instant whose kept predecessor and successor are at most <paramref name="window"/> apart.</summary>
    internal static int Compact(long[] times, int count, long window)
    {
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

        var p = _pairIndex.GetOrAdd((ulong)g + 1, member, PairCount, out var pairAdded);
        if (pairAdded)
        {
            if (p == _pairs.Length)
            {
                Array.Resize(ref _pairs, checked(_pairs.Length * 2));
            }

            _pairs[p] = new PairState { Group = g, Join = NoJoin };
            PairCount++;
        }

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
        var record = new JoinRecord(at, pair, ChannelOf(e.Channel), e.EffectiveRole != MemberRole.Member);
        ref var state = ref _pairs[pair];
        if (Rejoin == RejoinPolicy.First && state.Join != NoJoin)
        {
            ref var current = ref _joins[state.Join];
            if (at < current.At || (at == current.At && string.CompareOrdinal(e.Id, state.JoinId) < 0))
            {
                current = record;
                state.JoinId = e.Id;
            }

            return;
        }

        if (JoinCount == _joins.Length)
        {
            Array.Resize(ref _joins, checked(_joins.Length * 2));
        }

        _joins[JoinCount] = record;
        if (Rejoin == RejoinPolicy.First)
        {
            state.Join = JoinCount;
            state.JoinId = e.Id;
        }

        JoinCount++;
    }

    /// <summary>One join: 20 bytes (instant, pair, channel, staff-or-bot flag).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct JoinRecord(long At, int Pair, int Channel, bool Excluded);

    private struct PairState
    {
        public int Group;
        public int Join;
        public string? JoinId;
        public long[]? Activity;
        public int ActivityCount;
        public long[]? Orders;
        public int OrderCount;
    }
}
