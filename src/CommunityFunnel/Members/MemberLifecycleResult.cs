namespace CommunityFunnel.Members;

/// <summary>What applying one event did.</summary>
/// <param name="Member">The member's record after the event.</param>
/// <param name="Actions">The actions the host must carry out (already handed to the registered handlers).</param>
/// <param name="Transitions">The state changes, as appended to the audit trail.</param>
/// <param name="Duplicate">The event had already been applied: nothing changed, nothing was emitted.</param>
public sealed record MemberLifecycleResult(
    MemberRecord? Member,
    IReadOnlyList<MemberAction> Actions,
    IReadOnlyList<MemberTransition> Transitions,
    bool Duplicate);
