namespace CommunityFunnel.Events;

/// <summary>The event types that count as engagement, as event-log/v1 defines them for the activation rate.</summary>
public static class QualifyingActivity
{
    /// <summary>The spec's default qualifying types <c>Q</c>: message, checkin, task_submitted, lottery_entered, order.</summary>
    public static IReadOnlyList<EventType> DefaultTypes { get; } =
        [EventType.Message, EventType.Checkin, EventType.TaskSubmitted, EventType.LotteryEntered, EventType.Order];

    /// <summary>Whether <paramref name="type"/> is in the spec's default qualifying set.</summary>
    public static bool IsDefault(EventType type) =>
        type is EventType.Message or EventType.Checkin or EventType.TaskSubmitted or EventType.LotteryEntered or EventType.Order;
}
