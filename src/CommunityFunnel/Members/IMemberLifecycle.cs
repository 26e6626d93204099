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
    /// </summary>
    MemberLifecycleResult Apply(CommunityEvent communityEvent);

    /// <summary>Processes every deadline due at or before <paramref name="now"/>, in time order; returns the actions.</summary>
    IReadOnlyList<MemberAction> AdvanceTo(DateTimeOffset now);

    /// <summary><see cref="AdvanceTo"/> the current time of the registered <see cref="TimeProvider"/>.</summary>
    IReadOnlyList<MemberAction> AdvanceToNow();

    /// <summary>
    /// Compares a group's member list fetched from the platform with what is known, and applies (and returns) the
    /// <c>joined</c> and <c>left</c> events that explain the difference. Event ids are deterministic (group +
    /// member + join time), so reconciling the same list twice yields nothing the second time. Also schedules the
    /// deadlines of every known member of the group (call it for each group when a host starts).
    /// </summary>
    IReadOnlyList<CommunityEvent> Reconcile(string group, IReadOnlyList<SnapshotMember> snapshot, DateTimeOffset at);

    /// <summary>The record of a member, or <see langword="null"/>.</summary>
    MemberRecord? Find(string group, string member);

    /// <summary>The states and transitions of a group's policy.</summary>
    LifecycleGraph Graph(string group);
}
