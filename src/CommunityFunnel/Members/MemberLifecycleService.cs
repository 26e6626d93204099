using CommunityFunnel.Events;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Members;

/// <summary>
/// The default <see cref="IMemberLifecycle"/>: loads a record from the <see cref="IMemberStore"/>, runs the pure
/// core, saves with the expected version (retrying on a conflict, which is safe because applying is
/// idempotent), then dispatches the actions. Finds due deadlines by the store's due-time index when it has one
/// (<see cref="IMemberDeadlineIndex"/>: durable, shared by every instance, one claim per due member); otherwise keeps an
/// in-memory deadline queue of the members it has seen.
/// </summary>
internal sealed class MemberLifecycleService : IMemberLifecycle
{
    private const int MaxAttempts = 16;
    private const int ClaimBatch = 256;
    private readonly IMemberStore _store;
    private readonly IMemberDeadlineIndex? _index;
    private readonly string _owner = "lifecycle-" + Guid.NewGuid().ToString("N");
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
        _index = store as IMemberDeadlineIndex;
        _dispatcher = dispatcher;
        _time = time;
        _options = options.Value;
        _zone = TimeZones.Find(_options.TimeZoneId ?? shared.Value.TimeZoneId, nameof(LifecycleOptions.TimeZoneId));
        _window = shared.Value.ActivationWindow;
    }

    public async Task<MemberLifecycleResult> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default)
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
            var current = await _store.FindAsync(communityEvent.Group, communityEvent.Member, cancellationToken).ConfigureAwait(false);
            var m = current?.ToData(p) ?? default;
            var output = new LifecycleOutput();
            if (!LifecycleCore.Apply(ref m, current is not null, input, p, output))
            {
                return new MemberLifecycleResult(current, [], [], Duplicate: true);
            }

            if (await TrySaveAsync(communityEvent.Group, communityEvent.Member, current, m, p, output, attempt, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }
        }
    }

    public Task<IReadOnlyList<MemberAction>> AdvanceToNowAsync(CancellationToken cancellationToken = default) => AdvanceToAsync(_time.GetUtcNow(), cancellationToken);

    public async Task<IReadOnlyList<MemberAction>> AdvanceToAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (_index is not null)
        {
            return await AdvanceByIndexAsync(_index, now, cancellationToken).ConfigureAwait(false);
        }

        var nowTicks = now.UtcTicks;
        var actions = new List<MemberAction>();
        while (TryTakeDue(nowTicks, out var key, out var due))
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var p = Policy(key.Group);
                for (var attempt = 1; ; attempt++)
                {
                    var current = await _store.FindAsync(key.Group, key.Member, cancellationToken).ConfigureAwait(false);
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
                    if (await TrySaveAsync(key.Group, key.Member, current, m, p, output, attempt, cancellationToken).ConfigureAwait(false) is { } result)
                    {
                        actions.AddRange(result.Actions);
                        break;
                    }
                }
            }
            catch
            {
                // Not processed (cancelled, or the store failed): the deadline stays due for the next call.
                Schedule(key, due);
                throw;
            }
        }

        return actions;
    }

    /// <summary>
    /// Claims due members from the store's index in batches, earliest first, and fires their due deadlines in time
    /// order; a member whose next deadline is due too is fired again in the same batch (it holds the newest version).
    /// Claims not processed when the call is cancelled or a step fails are given back at once; those of an instance that
    /// died run out with their lease, then any instance claims them again.
    /// </summary>
    private async Task<IReadOnlyList<MemberAction>> AdvanceByIndexAsync(IMemberDeadlineIndex index, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actions = new List<MemberAction>();
        var nowTicks = now.UtcTicks;
        var due = new PriorityQueue<MemberRecord, (long Due, string Group, string Member)>(MemberDueOrder.Instance);
        while (true)
        {
            var claimed = await index.ClaimDueAsync(_owner, now, now + _options.DeadlineLeaseTime, ClaimBatch, cancellationToken).ConfigureAwait(false);
            foreach (var claim in claimed)
            {
                due.Enqueue(claim, (claim.NextDeadline?.UtcTicks ?? 0, claim.Group, claim.Member));
            }

            MemberRecord? working = null;
            try
            {
                while (due.TryDequeue(out var current, out _))
                {
                    working = current;
                    cancellationToken.ThrowIfCancellationRequested();
                    var p = Policy(current.Group);
                    for (var attempt = 1; ; attempt++)
                    {
                        var m = current.ToData(p);
                        if (m.NextDeadline == 0 || m.NextDeadline > nowTicks)
                        {
                            break; // changed since the claim: its save re-indexed it
                        }

                        var output = new LifecycleOutput();
                        LifecycleCore.CheckDue(ref m, p, output);
                        if (await TrySaveAsync(current.Group, current.Member, current, m, p, output, attempt, cancellationToken).ConfigureAwait(false) is { Member: { } saved } result)
                        {
                            actions.AddRange(result.Actions);
                            if (saved.NextDeadline is { } next && next.UtcTicks <= nowTicks)
                            {
                                due.Enqueue(saved, (next.UtcTicks, saved.Group, saved.Member));
                            }

                            break;
                        }

                        if (await _store.FindAsync(current.Group, current.Member, cancellationToken).ConfigureAwait(false) is not { } reloaded)
                        {
                            break;
                        }

                        current = reloaded;
                    }
                }
            }
            catch
            {
                // Not processed (cancelled, or the store failed): the claims go back, the deadlines stay due.
                var left = new List<MemberRecord>(due.Count + 1);
                if (working is not null)
                {
                    left.Add(working);
                }

                while (due.TryDequeue(out var record, out _))
                {
                    left.Add(record);
                }

                await index.ReleaseAsync(_owner, left, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            if (claimed.Count < ClaimBatch)
            {
                return actions;
            }
        }
    }

    public async Task<IReadOnlyList<CommunityEvent>> ReconcileAsync(string group, IReadOnlyList<SnapshotMember> snapshot, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        var known = await _store.ListGroupAsync(group, cancellationToken).ConfigureAwait(false);
        var events = SnapshotReconciler.Diff(group, snapshot, at, known);
        var applied = new List<CommunityEvent>(events.Count);
        foreach (var e in events)
        {
            if (!(await ApplyAsync(e, cancellationToken).ConfigureAwait(false)).Duplicate)
            {
                applied.Add(e);
            }
        }

        foreach (var record in await _store.ListGroupAsync(group, cancellationToken).ConfigureAwait(false))
        {
            if (record.NextDeadline is { } due)
            {
                Schedule(new MemberKey(record.Group, record.Member), due.UtcTicks);
            }
        }

        return applied;
    }

    public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken = default) => _store.FindAsync(group, member, cancellationToken);

    public LifecycleGraph Graph(string group) => LifecycleGraph.For(_options.PolicyFor(group));

    /// <summary>Saves the member's new state and dispatches its actions; null on a version conflict (the caller retries).</summary>
    private async Task<MemberLifecycleResult?> TrySaveAsync(string group, string member, MemberRecord? current, MemberData m, CompiledPolicy p, LifecycleOutput output, int attempt, CancellationToken cancellationToken)
    {
        var version = current?.Version ?? 0;
        var record = MemberRecord.From(group, member, m, p, checked(version + 1));
        var transitions = new MemberTransition[output.TransitionCount];
        for (var i = 0; i < transitions.Length; i++)
        {
            var t = output.Transitions[i];
            transitions[i] = new MemberTransition(group, member, t.From, t.To, t.Trigger, new DateTimeOffset(t.At, TimeSpan.Zero));
        }

        var actions = new MemberAction[output.ActionCount];
        for (var i = 0; i < actions.Length; i++)
        {
            actions[i] = LifecycleCore.ToAction(output.Actions[i], group, member, p);
        }

        try
        {
            if (_options.UseOutbox)
            {
                var now = _time.GetUtcNow();
                var outbox = new OutboxEntry[actions.Length];
                for (var i = 0; i < outbox.Length; i++)
                {
                    outbox[i] = new OutboxEntry { Id = MemberActionIds.For(group, member, record.Version, i), Action = actions[i], DecidedAt = now, NextAttemptAt = now };
                }

                await _store.SaveAsync(record, version, transitions, outbox, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.SaveAsync(record, version, transitions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MemberVersionConflictException) when (attempt < MaxAttempts)
        {
            return null;
        }

        Schedule(new MemberKey(group, member), m.NextDeadline);
        if (actions.Length > 0 && !_options.UseOutbox)
        {
            // Saved: the actions are dispatched even when the caller gives up now, so that none is lost.
            await _dispatcher.DispatchAsync(actions, CancellationToken.None).ConfigureAwait(false);
        }

        return new MemberLifecycleResult(record, actions, transitions, Duplicate: false);
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
        if (due == 0 || _index is not null)
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
