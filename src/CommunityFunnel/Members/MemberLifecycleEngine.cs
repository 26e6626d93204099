using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>
/// The member lifecycle in memory, for bulk replay and single-writer hosts: the same decisions as
/// <see cref="IMemberLifecycle"/> (same rules, idempotency, late events, deadlines) without a store, version checks or
/// per-event objects. Members are found by (group, member) in an open-addressing table of keyed fingerprints and
/// kept as fixed-size structs; applying an event that decides no action and no transition (activity of a member
/// in good standing, a duplicate) allocates nothing. Actions and transitions are handed, in order, to the
/// <see cref="ActionSink"/> and <see cref="TransitionSink"/>. Not thread-safe: one writer at a time.
/// </summary>
/// <remarks>
/// Deadlines are processed by <see cref="AdvanceTo"/>; to replay a log as it happened, apply the events in time
/// order and call <see cref="AdvanceTo"/> with each event's instant before applying it (as the CLI replay does).
/// </remarks>
public sealed class MemberLifecycleEngine
{
    private readonly LifecycleEngine _engine;

    /// <summary>Creates an empty engine.</summary>
    /// <param name="options">The policies (validated: every bad field is named in the exception).</param>
    /// <param name="shared">The time zone (when <see cref="LifecycleOptions.TimeZoneId"/> is not set) and the activation window; defaults when null.</param>
    /// <param name="expectedMembers">Members to size the tables for (they grow as needed).</param>
    /// <exception cref="ArgumentException">The options are invalid or the time zone is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedMembers"/> is negative or the activation window is not positive.</exception>
    public MemberLifecycleEngine(LifecycleOptions options, CommunityFunnelOptions? shared = null, int expectedMembers = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedMembers);
        shared ??= new CommunityFunnelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shared.ActivationWindow, TimeSpan.Zero, nameof(shared));
        var zone = TimeZones.Find(options.TimeZoneId ?? shared.TimeZoneId, nameof(LifecycleOptions.TimeZoneId));
        _engine = new LifecycleEngine(options, zone, shared.ActivationWindow, Math.Clamp(expectedMembers, 16, 1 << 26));
    }

    /// <summary>Receives every action decided, in order. Null (the default): actions are only counted.</summary>
    public Action<MemberAction>? ActionSink
    {
        get => _engine.ActionSink;
        set => _engine.ActionSink = value;
    }

    /// <summary>Receives every transition (the audit trail), in order. Null (the default): not recorded.</summary>
    public Action<MemberTransition>? TransitionSink
    {
        get => _engine.TransitionSink;
        set => _engine.TransitionSink = value;
    }

    /// <summary>Members known (every (group, member) seen in an event).</summary>
    public int Count => _engine.Count;

    /// <summary>Events applied, not counting duplicates.</summary>
    public long Applied => _engine.Applied;

    /// <summary>Events ignored because they were already applied (same id at the member's watermark).</summary>
    public long Duplicates => _engine.Duplicates;

    /// <summary>Actions decided so far (whether or not there is a sink).</summary>
    public long Actions => _engine.Actions;

    /// <summary>
    /// Applies an event to its member (the member's own deadlines due by the event's instant come first).
    /// Idempotent: an event applied before (same id) changes nothing and returns <see langword="false"/>. An
    /// <c>invite_viewed</c> (a visitor, not a member: event-log/v1.1) is ignored and returns <see langword="false"/>.
    /// </summary>
    /// <param name="communityEvent">The event.</param>
    /// <returns><see langword="false"/> when the event was a duplicate.</returns>
    public bool Apply(CommunityEvent communityEvent) => _engine.Apply(communityEvent);

    /// <summary>
    /// Applies events in order, exactly as <see cref="Apply(CommunityEvent)"/> on each in turn would, but faster
    /// on large tables: it reads a few dozen events ahead so that looking their members up costs one wait on memory
    /// for the run rather than one per event. For bulk replay and hosts that receive events in batches.
    /// </summary>
    /// <param name="events">The events, applied in this order.</param>
    /// <returns>How many were applied (not duplicates).</returns>
    /// <exception cref="ArgumentException">An element is null; nothing is applied then.</exception>
    public int ApplyBatch(ReadOnlySpan<CommunityEvent> events) => _engine.ApplyBatch(events);

    /// <summary>Processes every deadline due at or before <paramref name="now"/>, in time order (ties by member).</summary>
    /// <param name="now">The instant to advance to.</param>
    /// <returns>How many members' deadlines were processed.</returns>
    public int AdvanceTo(DateTimeOffset now) => _engine.AdvanceTo(now.UtcTicks);

    /// <summary>The record of a member, or <see langword="null"/> when no event of theirs was applied.</summary>
    /// <param name="group">The group id.</param>
    /// <param name="member">The member id.</param>
    /// <returns>A copy of the member's current record (<see cref="MemberRecord.Version"/> is 0).</returns>
    public MemberRecord? Find(string group, string member)
    {
        var slot = _engine.Find(group, member);
        return slot < 0 ? null : _engine.Record(slot);
    }

    /// <summary>Every member's record, in the order the members were first seen.</summary>
    /// <returns>A new list of copies.</returns>
    public IReadOnlyList<MemberRecord> Members()
    {
        var list = new List<MemberRecord>(_engine.Count);
        for (var slot = 0; slot < _engine.Count; slot++)
        {
            list.Add(_engine.Record(slot));
        }

        return list;
    }
}
