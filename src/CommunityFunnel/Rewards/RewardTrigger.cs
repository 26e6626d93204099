using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>When a <see cref="RewardRule"/> fires. Which fields matter depends on <see cref="Kind"/>.</summary>
public sealed record RewardTrigger
{
    /// <summary>The kind of trigger.</summary>
    public RewardTriggerKind Kind { get; init; }

    /// <summary>Only events with this task id count (check-ins and <c>task_*</c> events); <see langword="null"/> means any task.</summary>
    public string? Task { get; init; }

    /// <summary>For <see cref="RewardTriggerKind.Streak"/>: the streak length K in days; for <see cref="RewardTriggerKind.Count"/>: N events.</summary>
    public int Count { get; init; }

    /// <summary>For <see cref="RewardTriggerKind.Count"/>: the event type counted (message, checkin, task_submitted, task_approved, order, ...).</summary>
    public EventType? Event { get; init; }

    /// <summary>The period of <see cref="RewardTriggerKind.Count"/> and <see cref="RewardTriggerKind.OrderTotal"/>; default <see cref="RewardPeriod.Month"/>.</summary>
    public RewardPeriod Period { get; init; } = RewardPeriod.Month;

    /// <summary>For <see cref="RewardTriggerKind.OrderTotal"/>: the total in minor units to reach; 0 means any order.</summary>
    public long Amount { get; init; }
}
