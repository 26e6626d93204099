namespace CommunityFunnel.Members;

/// <summary>The snake_case names of states, actions and reasons used in JSON, diagrams and triggers.</summary>
internal static class LifecycleNames
{
    public static string State(MemberState state) => state switch
    {
        MemberState.Onboarding => "onboarding",
        MemberState.Active => "active",
        MemberState.AtRisk => "at_risk",
        MemberState.Removed => "removed",
        MemberState.Left => "left",
        _ => state.ToString(),
    };

    public static string Action(MemberActionKind kind) => kind switch
    {
        MemberActionKind.Welcome => "welcome",
        MemberActionKind.Reminder => "reminder",
        MemberActionKind.Removal => "removal",
        MemberActionKind.Congratulation => "congratulation",
        _ => kind.ToString(),
    };

    public static string Reason(LifecycleReason reason) => reason switch
    {
        LifecycleReason.None => "none",
        LifecycleReason.Nickname => "nickname",
        LifecycleReason.Inactive => "inactive",
        LifecycleReason.TaskOverdue => "task_overdue",
        LifecycleReason.TaskRejected => "task_rejected",
        LifecycleReason.RejoinBanned => "rejoin_banned",
        _ => reason.ToString(),
    };
}
