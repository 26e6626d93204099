namespace CommunityFunnel.Members;

/// <summary>Something the host must carry out on its platform for a member. Actions are data; the library never acts itself.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Group">The group id.</param>
/// <param name="Member">The member id.</param>
/// <param name="At">The instant the decision was made (the event's or the deadline's time).</param>
/// <param name="Reason">Why (reminders and removals); <see cref="LifecycleReason.None"/> otherwise.</param>
/// <param name="Task">The task a task reminder or removal is about, else <see langword="null"/>.</param>
/// <param name="Deadline">For a reminder: when the member will be removed (or, for a rejected task, the task's deadline).</param>
/// <param name="Rules">For a welcome: the group's rules text from the policy.</param>
public sealed record MemberAction(
    MemberActionKind Kind,
    string Group,
    string Member,
    DateTimeOffset At,
    LifecycleReason Reason = LifecycleReason.None,
    string? Task = null,
    DateTimeOffset? Deadline = null,
    string? Rules = null) : OutboxAction;
