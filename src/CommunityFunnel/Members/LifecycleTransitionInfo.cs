using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>One transition of the lifecycle graph: a row of the transition table the lifecycle runs.</summary>
/// <param name="From">The state it leaves, or <see langword="null"/> for a member first seen.</param>
/// <param name="To">The state it enters.</param>
/// <param name="Trigger">
/// What causes it, as a diagram label: an event type (<c>joined</c>, <c>nickname_changed</c>...) or a deadline, with
/// the condition that picks this transition in parentheses.
/// </param>
public sealed record LifecycleTransitionInfo(MemberState? From, MemberState To, string Trigger)
{
    /// <summary>
    /// The event types that can take it (the event id is then the <see cref="MemberTransition.Trigger"/>); empty
    /// when a deadline takes it.
    /// </summary>
    public IReadOnlyList<EventType> Events { get; init; } = [];

    /// <summary>
    /// The deadlines that can take it, named as in <see cref="MemberTransition.Trigger"/> after <c>deadline:</c>
    /// (<c>nickname</c>, <c>task_overdue</c>, <c>task_rejected</c>, <c>inactive</c>, <c>removal</c>); empty when an
    /// event takes it.
    /// </summary>
    public IReadOnlyList<string> Deadlines { get; init; } = [];
}
