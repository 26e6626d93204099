using System.Runtime.InteropServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Members;

/// <summary>
/// The in-memory lifecycle of many members: an int-keyed table of <see cref="MemberData"/> structs, the deadline
/// queue, and the policies. Not thread-safe (one writer). Applying an activity event to a member in good standing
/// allocates nothing; actions and transitions become objects only when there are some and a sink wants them.
/// Members are found by (group index, member) in a <see cref="FingerprintTable"/> (keyed 128-bit fingerprints,
/// one probe sequence, no string hashed twice or compared); the group's index is cached for runs of one group.
/// </summary>
internal sealed class LifecycleEngine
{
    private readonly FingerprintTable _index;
    private readonly Dictionary<string, int> _groupIndex = new(StringComparer.Ordinal);
    private readonly List<ushort> _groupPolicyIndex = [];
    private string? _lastGroup;
    private int _lastGroupIndex;
    private readonly Dictionary<string, CompiledPolicy> _groupPolicies = new(StringComparer.Ordinal);
    private readonly CompiledPolicy _defaultPolicy;
    private readonly DeadlineQueue _queue;
    private readonly LifecycleOutput _output = new();
    private MemberData[] _members;
    private MemberKey[] _keys;
    private readonly List<CompiledPolicy> _policyTable = [];
    private long[] _queuedAt;

    /// <summary>Events the batch <see cref="ApplyBatch"/> reads ahead of applying them.</summary>
    private const int LookAhead = 32;

    /// <summary>Where the look-ahead's reads go, so that the JIT keeps them; means nothing.</summary>
    private long _touched;
    private int[] _queueVersion;

    public LifecycleEngine(LifecycleOptions options, TimeZoneInfo zone, TimeSpan activationWindow, int capacity = 16)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(zone);
        var failures = LifecycleOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid lifecycle options: " + string.Join(" ", failures), nameof(options));
        }

        _defaultPolicy = new CompiledPolicy(options.DefaultPolicy, zone, activationWindow);
        _policyTable.Add(_defaultPolicy);
        foreach (var (group, policy) in options.Groups)
        {
            _groupPolicies[group] = new CompiledPolicy(policy, zone, activationWindow);
            _policyTable.Add(_groupPolicies[group]);
        }

        if (_policyTable.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"At most {ushort.MaxValue} group policies are supported.", nameof(options));
        }

        capacity = Math.Max(capacity, 4);
        _index = new FingerprintTable(capacity + (capacity / 3));
        _members = new MemberData[capacity];
        _keys = new MemberKey[capacity];
        _queuedAt = new long[capacity];
        _queueVersion = new int[capacity];
        _queue = new DeadlineQueue(capacity);
    }

    /// <summary>A deep copy of the members, their deadlines and counters (sinks are not copied): a snapshot to run "what if" on.</summary>
    public LifecycleEngine Clone() => new(this);

    private LifecycleEngine(LifecycleEngine source)
    {
        _index = source._index.Clone();
        foreach (var (group, index) in source._groupIndex)
        {
            _groupIndex[group] = index;
        }

        _groupPolicyIndex.AddRange(source._groupPolicyIndex);
        foreach (var (group, policy) in source._groupPolicies)
        {
            _groupPolicies[group] = policy;
        }

        _policyTable.AddRange(source._policyTable);

        _defaultPolicy = source._defaultPolicy;
        _queue = source._queue.Clone();
        _members = (MemberData[])source._members.Clone();
        for (var i = 0; i < source.Count; i++)
        {
            if (_members[i].RecentMore is { } more)
            {
                _members[i].RecentMore = (string[])more.Clone();
            }
        }

        _keys = (MemberKey[])source._keys.Clone();
        _queuedAt = (long[])source._queuedAt.Clone();
        _queueVersion = (int[])source._queueVersion.Clone();
        Count = source.Count;
        Applied = source.Applied;
        Duplicates = source.Duplicates;
        Actions = source.Actions;
    }

    /// <summary>Receives every action decided, in order. Null: actions are dropped (counted only).</summary>
    public Action<MemberAction>? ActionSink { get; set; }

    /// <summary>Receives every transition (the audit trail), in order. Null: not recorded.</summary>
    public Action<MemberTransition>? TransitionSink { get; set; }

    /// <summary>Members known.</summary>
    public int Count { get; private set; }

    /// <summary>Events applied (not counting duplicates).</summary>
    public long Applied { get; private set; }

    /// <summary>Events that were already applied (same id at the member's watermark).</summary>
    public long Duplicates { get; private set; }

    /// <summary>Actions decided so far.</summary>
    public long Actions { get; private set; }

    public CompiledPolicy PolicyFor(string group) => _groupPolicies.TryGetValue(group, out var p) ? p : _defaultPolicy;

    /// <summary>The slot of a member, created (empty) when new.</summary>
    public int Slot(string group, string member)
    {
        var g = GroupIndex(group);
        var (hi, lo) = _index.Fingerprint((ulong)g + 1, member);
        return Slot(g, hi, lo, group, member);
    }

    /// <summary>As <see cref="Slot(string, string)"/> with the group's index and the pair's fingerprint already computed.</summary>
    private int Slot(int g, ulong hi, ulong lo, string group, string member)
    {
        var slot = _index.GetOrAdd(hi, lo, Count, out var added);
        if (!added)
        {
            return slot;
        }

        if (Count == _members.Length)
        {
            var size = checked(Count * 2);
            Array.Resize(ref _members, size);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _queuedAt, size);
            Array.Resize(ref _queueVersion, size);
        }

        Count++;
        _keys[slot] = new MemberKey(group, member);
        _members[slot].PolicyIndex = _groupPolicyIndex[g];
        return slot;
    }

    /// <summary>The slot of a member, or -1.</summary>
    public int Find(string group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        return _groupIndex.TryGetValue(group, out var g) ? _index.Find((ulong)g + 1, member) : -1;
    }

    /// <summary>The index of a group (added when new), cached for consecutive events of one group instance.</summary>
    private int GroupIndex(string group)
    {
        if (ReferenceEquals(group, _lastGroup))
        {
            return _lastGroupIndex;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_groupIndex, group, out var exists);
        if (!exists)
        {
            index = _groupPolicyIndex.Count;
            _groupPolicyIndex.Add((ushort)_policyTable.IndexOf(PolicyFor(group)));
        }

        _lastGroup = group;
        _lastGroupIndex = index;
        return index;
    }

    public MemberKey KeyOf(int slot) => _keys[slot];

    public ref readonly MemberData Data(int slot) => ref _members[slot];

    public MemberRecord Record(int slot) => MemberRecord.From(_keys[slot].Group, _keys[slot].Member, _members[slot], _policyTable[_members[slot].PolicyIndex], 0);

    /// <summary>Applies an event; false when it was already applied.</summary>
    public bool Apply(CommunityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type == EventType.InviteViewed)
        {
            return false; // a visitor's view, not a member's event (event-log/v1.1)
        }

        return Apply(Slot(e.Group, e.Member), LifecycleEvent.From(e));
    }

    /// <summary>
    /// Applies events in order, with exactly the result of <see cref="Apply(CommunityEvent)"/> on each in turn;
    /// returns how many were not duplicates. It works a block at a time: first it only reads what the block's events
    /// will need (the member strings, the table slots, the members' records), so that those cache misses overlap
    /// instead of coming one after another, then it applies the events one by one. Nothing is applied when an
    /// element is null.
    /// </summary>
    public int ApplyBatch(ReadOnlySpan<CommunityEvent> events)
    {
        EventBatch.ThrowIfAnyNull(events, nameof(events));

        Span<ulong> his = stackalloc ulong[LookAhead];
        Span<ulong> los = stackalloc ulong[LookAhead];
        Span<int> groups = stackalloc int[LookAhead];
        Span<int> slots = stackalloc int[LookAhead];
        var applied = 0;
        for (var start = 0; start < events.Length; start += LookAhead)
        {
            var block = events.Slice(start, Math.Min(LookAhead, events.Length - start));
            var touched = 0L;
            foreach (var e in block)
            {
                touched ^= e.Member.Length; // brings the string into the cache for the fingerprint
            }

            for (var i = 0; i < block.Length; i++)
            {
                groups[i] = GroupIndex(block[i].Group);
                (his[i], los[i]) = _index.Fingerprint((ulong)groups[i] + 1, block[i].Member);
            }

            for (var i = 0; i < block.Length; i++)
            {
                slots[i] = _index.Peek(his[i], los[i]);
            }

            var members = _members;
            for (var i = 0; i < block.Length; i++)
            {
                if (slots[i] >= 0 && slots[i] < members.Length)
                {
                    touched ^= members[slots[i]].Watermark ^ members[slots[i]].PolicyIndex; // both cache lines of the hot part
                }
            }

            _touched ^= touched;
            for (var i = 0; i < block.Length; i++)
            {
                var e = block[i];
                if (e.Type != EventType.InviteViewed && Apply(Slot(groups[i], his[i], los[i], e.Group, e.Member), LifecycleEvent.From(e)))
                {
                    applied++;
                }
            }
        }

        return applied;
    }

    /// <summary>Applies an event to the member in <paramref name="slot"/> (from <see cref="Slot(string, string)"/>).</summary>
    public bool Apply(int slot, in LifecycleEvent e)
    {
        ref var m = ref _members[slot];
        var p = _policyTable[m.PolicyIndex];
        var deadline = m.NextDeadline;
        _output.Clear();
        if (!LifecycleCore.Apply(ref m, m.FirstSeenAt != 0, e, p, _output))
        {
            Duplicates++;
            return false;
        }

        Applied++;
        if (m.NextDeadline != deadline)
        {
            Schedule(slot, m.NextDeadline); // unchanged: the queue already holds an entry no later than it
        }
        if (_output.ActionCount + _output.TransitionCount > 0)
        {
            Emit(slot);
        }

        return true;
    }

    /// <summary>Processes every deadline due at or before <paramref name="now"/> (UTC ticks), in time order; returns how many were looked at.</summary>
    public int AdvanceTo(long now)
    {
        var processed = 0;
        while (_queue.TryPopDue(now, out var due, out var slot, out var version))
        {
            if (version != _queueVersion[slot])
            {
                continue; // stale: the member was rescheduled earlier
            }

            _queuedAt[slot] = 0;
            ref var m = ref _members[slot];
            if (m.NextDeadline == 0)
            {
                continue;
            }

            if (m.NextDeadline > due)
            {
                // Postponed since it was queued (lazy postponement): back in at its true time, which may still be due.
                Schedule(slot, m.NextDeadline);
                continue;
            }

            processed++;
            _output.Clear();
            LifecycleCore.CheckDue(ref m, _policyTable[m.PolicyIndex], _output);
            Schedule(slot, m.NextDeadline);
            if (_output.ActionCount + _output.TransitionCount > 0)
            {
                Emit(slot);
            }
        }

        return processed;
    }

    /// <summary>Makes sure the queue holds an entry no later than <paramref name="due"/> for the slot (lazy postponement).</summary>
    private void Schedule(int slot, long due)
    {
        if (due == 0)
        {
            return;
        }

        var queued = _queuedAt[slot];
        if (queued != 0 && queued <= due)
        {
            return; // the queued entry comes first; when it surfaces the member is looked at again
        }

        var version = unchecked(++_queueVersion[slot]);
        _queuedAt[slot] = due;
        _queue.Push(due, slot, version);
    }

    private void Emit(int slot)
    {
        Actions += _output.ActionCount;
        var key = _keys[slot];
        var p = _policyTable[_members[slot].PolicyIndex];
        if (TransitionSink is { } transitions)
        {
            foreach (var t in _output.Transitions)
            {
                transitions(new MemberTransition(key.Group, key.Member, t.From, t.To, t.Trigger, new DateTimeOffset(t.At, TimeSpan.Zero)));
            }
        }

        if (ActionSink is { } actions)
        {
            foreach (var a in _output.Actions)
            {
                actions(LifecycleCore.ToAction(a, key.Group, key.Member, p));
            }
        }
    }
}
