using CommunityFunnel.Events;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Members;

/// <summary>
/// The default <see cref="IMemberLifecycle"/>: loads a record from the <see cref="IMemberStore"/>, runs the pure
/// core, saves with the expected version (retrying on a conflict, which is safe because applying is
/// idempotent), then dispatches the actions. Keeps an in-memory deadline queue of the members it has seen.
/// </summary>
internal sealed class MemberLifecycleService : IMemberLifecycle
{
    private const int MaxAttempts = 16;
    private readonly IMemberStore _store;
    private readonly MemberActionDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly LifecycleOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _window;
    private readonly Dictionary<string, CompiledPolicy> _compiled = new(StringComparer.Ordinal);
    private readonly object _queueGate = new();
    private readonly DeadlineQueue _queue = new();
    private readonly Dictionary<MemberKey, int> _slots = [];
    private readonly List<MemberKey> _keys = [];
    private readonly List<long> _queuedAt = [];
    private readonly List<int> _queueVersion = [];

    public MemberLifecycleService(
        IMemberStore store,
        MemberActionDispatcher dispatcher,
        TimeProvider time,
        IOptions<LifecycleOptions> options,
        IOptions<CommunityFunnelOptions> shared)
    {
        _store = store;
        _dispatcher = dispatcher;
        _time = time;
        _options = options.Value;
        _zone = TimeZones.Find(_options.TimeZoneId ?? shared.Value.TimeZoneId, nameof(LifecycleOptions.TimeZoneId));
        _window = shared.Value.ActivationWindow;
    }

    public MemberLifecycleResult Apply(CommunityEvent communityEvent)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        if (communityEvent.Type == EventType.InviteViewed)
        {
            return new MemberLifecycleResult(null, [], [], Duplicate: false); // a visitor's view, not a member's event
        }

        var p = Policy(communityEvent.Group);
        var input = LifecycleEvent.From(communityEvent);
        for (var attempt = 1; ; attempt++)
        {
            var current = _store.Find(communityEvent.Group, communityEvent.Member);
            var m = current?.ToData(p) ?? default;
            var output = new LifecycleOutput();
            if (!LifecycleCore.Apply(ref m, current is not null, input, p, output))
            {
                return new MemberLifecycleResult(current, [], [], Duplicate: true);
            }

            if (TrySave(communityEvent.Group, communityEvent.Member, current, m, p, output, attempt, out var result))
            {
                return result;
            }
        }
    }

    public IReadOnlyList<MemberAction> AdvanceToNow() => AdvanceTo(_time.GetUtcNow());

    public IReadOnlyList<MemberAction> AdvanceTo(DateTimeOffset now)
    {
        var nowTicks = now.UtcTicks;
        var actions = new List<MemberAction>();
        while (TryTakeDue(nowTicks, out var key, out var due))
        {
            var p = Policy(key.Group);
            for (var attempt = 1; ; attempt++)
            {
                var current = _store.Find(key.Group, key.Member);
                if (current is null)
                {
                    break;
                }

                var m = current.ToData(p);
                if (m.NextDeadline == 0 || m.NextDeadline > due)
                {
                    Schedule(key, m.NextDeadline);
                    break;
                }

                var output = new LifecycleOutput();
                LifecycleCore.CheckDue(ref m, p, output);
                if (TrySave(key.Group, key.Member, current, m, p, output, attempt, out var result))
                {
                    actions.AddRange(result.Actions);
                    break;
                }
            }
        }

        return actions;
    }

    public IReadOnlyList<CommunityEvent> Reconcile(string group, IReadOnlyList<SnapshotMember> snapshot, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        var events = SnapshotReconciler.Diff(group, snapshot, at, _store.ListGroup(group));
        var applied = new List<CommunityEvent>(events.Count);
        foreach (var e in events)
        {
            if (!Apply(e).Duplicate)
            {
                applied.Add(e);
            }
        }

        foreach (var record in _store.ListGroup(group))
        {
            if (record.NextDeadline is { } due)
            {
                Schedule(new MemberKey(record.Group, record.Member), due.UtcTicks);
            }
        }

        return applied;
    }

    public MemberRecord? Find(string group, string member) => _store.Find(group, member);

    public LifecycleGraph Graph(string group) => LifecycleGraph.For(_options.PolicyFor(group));

    private bool TrySave(string group, string member, MemberRecord? current, MemberData m, CompiledPolicy p, LifecycleOutput output, int attempt, out MemberLifecycleResult result)
    {
        var version = current?.Version ?? 0;
        var record = MemberRecord.From(group, member, m, p, checked(version + 1));
        var transitions = new MemberTransition[output.TransitionCount];
        for (var i = 0; i < transitions.Length; i++)
        {
            var t = output.Transitions[i];
            transitions[i] = new MemberTransition(group, member, t.From, t.To, t.Trigger, new DateTimeOffset(t.At, TimeSpan.Zero));
        }

        try
        {
            _store.Save(record, version, transitions);
        }
        catch (MemberVersionConflictException) when (attempt < MaxAttempts)
        {
            result = null!;
            return false;
        }

        var actions = new MemberAction[output.ActionCount];
        for (var i = 0; i < actions.Length; i++)
        {
            actions[i] = LifecycleCore.ToAction(output.Actions[i], group, member, p);
        }

        Schedule(new MemberKey(group, member), m.NextDeadline);
        result = new MemberLifecycleResult(record, actions, transitions, Duplicate: false);
        if (actions.Length > 0)
        {
            _dispatcher.Dispatch(actions);
        }

        return true;
    }

    private CompiledPolicy Policy(string group)
    {
        lock (_compiled)
        {
            if (!_compiled.TryGetValue(group, out var p))
            {
                var key = _options.Groups.ContainsKey(group) ? group : string.Empty;
                if (!_compiled.TryGetValue(key, out p))
                {
                    p = new CompiledPolicy(_options.PolicyFor(group), _zone, _window);
                    _compiled[key] = p;
                }

                _compiled[group] = p;
            }

            return p;
        }
    }

    private void Schedule(MemberKey key, long due)
    {
        if (due == 0)
        {
            return;
        }

        lock (_queueGate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = _keys.Count;
                _slots[key] = slot;
                _keys.Add(key);
                _queuedAt.Add(0);
                _queueVersion.Add(0);
            }

            var queued = _queuedAt[slot];
            if (queued != 0 && queued <= due)
            {
                return;
            }

            _queuedAt[slot] = due;
            var version = unchecked(_queueVersion[slot] + 1);
            _queueVersion[slot] = version;
            _queue.Push(due, slot, version);
        }
    }

    private bool TryTakeDue(long now, out MemberKey key, out long due)
    {
        lock (_queueGate)
        {
            while (_queue.TryPopDue(now, out due, out var slot, out var version))
            {
                if (version != _queueVersion[slot])
                {
                    continue;
                }

                _queuedAt[slot] = 0;
                key = _keys[slot];
                return true;
            }
        }

        key = default;
        due = 0;
        return false;
    }
}
