namespace CommunityFunnel.Members;

/// <summary>One entry of the audit trail: a member moved from one state to another (or stayed, on a re-issued removal).</summary>
/// <param name="Group">The group id.</param>
/// <param name="Member">The member id.</param>
/// <param name="From">The state before, or <see langword="null"/> when the member was first seen.</param>
/// <param name="To">The state after.</param>
/// <param name="Trigger">The event id that caused it, or <c>deadline:REASON</c> (e.g. <c>deadline:nickname</c>, <c>deadline:removal</c>).</param>
/// <param name="At">When: the event's instant or the deadline's.</param>
public sealed record MemberTransition(
    string Group,
    string Member,
    MemberState? From,
    MemberState To,
    string Trigger,
    DateTimeOffset At);
