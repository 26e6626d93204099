using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>What makes a reward rule fire.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardTriggerKind>))]
public enum RewardTriggerKind
{
    /// <summary>A check-in: fires at most once per member and local calendar day.</summary>
    Checkin,

    /// <summary>A check-in streak: fires on each local day the streak of consecutive check-in days reaches a multiple of <see cref="RewardTrigger.Count"/>.</summary>
    Streak,

    /// <summary>A submission without review (a form, a sign-up): fires for each <c>task_submitted</c> event.</summary>
    Submitted,

    /// <summary>A reviewed task: fires on <c>task_approved</c>; a later <c>task_rejected</c> reverses the grant.</summary>
    Approved,

    /// <summary><see cref="RewardTrigger.Count"/> events of <see cref="RewardTrigger.Event"/> in one <see cref="RewardTrigger.Period"/>: fires once per period.</summary>
    Count,

    /// <summary>The member's order total in one <see cref="RewardTrigger.Period"/> (default: the local calendar month) reaches <see cref="RewardTrigger.Amount"/>: fires once per period.</summary>
    OrderTotal,

    /// <summary>The member's first order: fires once per member.</summary>
    FirstOrder,
}
