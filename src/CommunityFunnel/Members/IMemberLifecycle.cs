using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>
/// The member lifecycle service a host resolves from DI: feed it events, advance its clock, reconcile member
/// lists; it keeps records in the <see cref="IMemberStore"/> and hands actions to the <see cref="IMemberActionHandler"/>s.
/// Thread-safe.
/// </summary>
public interface IMemberLifecycle
{
    /// <summary>
    /// Applies an event to its member. Idempotent: an event applied before (same id) changes nothing. An event
    /// older than the member's last applied one never undoes a transition but still counts as activity; an event
    /// from a member never seen joining creates a member in good standing flagged "joined before tracking".
    /// The store, then the action handlers, are awaited on the caller's flow.
    /// </summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call: before the save nothing is changed; after it, the handlers may not all have run.</param>
    /// <returns>What the event did.</returns>
    Task<MemberLifecycleResult> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default);

    /// <summary>Processes every deadline due at or before <paramref name="now"/>, in time order; returns the actions.</summary>
    /// <param name="now">The instant to advance to.</param>
    /// <param name="cancellationToken">Cancels the call between members: deadlines not yet processed stay due.</param>
    /// <returns>The actions decided, in order.</returns>
    Task<IReadOnlyList<MemberAction>> AdvanceToAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary><see cref="AdvanceToAsync"/> the current time of the registered <see cref="TimeProvider"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The actions decided, in order.</returns>
    Task<IReadOnlyList<MemberAction>> AdvanceToNowAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Compares a group's member list fetched from the platform with what is known, and applies (and returns) the
    /// <c>joined</c> and <c>left</c> events that explain the difference. Event ids are deterministic (group +
    /// member + join time), so reconciling the same list twice yields nothing the second time. Also schedules the
    /// deadlines of every known member of the group (call it for each group when a host starts).
    /// </summary>
    /// <param name="group">The group's id.</param>
    /// <param name="snapshot">The group's members as the platform lists them.</param>
    /// <param name="at">When the list was fetched.</param>
    /// <param name="cancellationToken">Cancels the call; reconciling again later applies what was not applied.</param>
    /// <returns>The events applied.</returns>
    Task<IReadOnlyList<CommunityEvent>> ReconcileAsync(string group, IReadOnlyList<SnapshotMember> snapshot, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The record of a member, or <see langword="null"/>.</summary>
    /// <param name="group">The group's id.</param>
    /// <param name="member">The member's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken = default);

    /// <summary>The states and transitions of a group's policy.</summary>
    /// <param name="group">The group's id.</param>
    /// <returns>The graph.</returns>
    LifecycleGraph Graph(string group);
}
