using CommunityFunnel.Members;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// The sample's <see cref="IMemberActionHandler"/>: it logs each action with its id. This is where a real host calls
/// its platform (WeCom's group-chat API, Telegram's Bot API), passing <see cref="MemberActionDelivery.ActionId"/> as the
/// idempotency key: the outbox delivers at least once, so the same id can come again after a retry or a takeover.
/// </summary>
/// <remarks><c>CommunityFunnel:Sample:ActionDelay</c> makes each delivery take that long, as a platform call would.</remarks>
public sealed partial class LoggingActionHandler(ILogger<LoggingActionHandler> logger, SampleHostSettings settings, TimeProvider time) : IMemberActionHandler
{
    /// <summary>The log event id of a delivered action (structured fields <c>ActionId</c>, <c>Kind</c>, <c>Group</c>, <c>Member</c>, <c>Attempt</c>).</summary>
    public const int DeliveredEventId = 1701;

    /// <summary>The log event id of an action handed over without the outbox (no id).</summary>
    public const int HandledEventId = 1702;

    /// <inheritdoc/>
    public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        Handled(logger, action.Kind, action.Group, action.Member);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task HandleAsync(MemberAction action, MemberActionDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(delivery);
        if (settings.ActionDelay > TimeSpan.Zero)
        {
            await Task.Delay(settings.ActionDelay, time, cancellationToken).ConfigureAwait(false);
        }

        Delivered(logger, delivery.ActionId, action.Kind, action.Group, action.Member, delivery.Attempt);
    }

    [LoggerMessage(EventId = DeliveredEventId, EventName = "MemberActionDelivered", Level = LogLevel.Information,
        Message = "Action {ActionId}: {Kind} for {Member} in {Group} (attempt {Attempt})")]
    private static partial void Delivered(ILogger logger, string actionId, MemberActionKind kind, string group, string member, int attempt);

    [LoggerMessage(EventId = HandledEventId, EventName = "MemberActionHandled", Level = LogLevel.Information,
        Message = "Action {Kind} for {Member} in {Group} (no outbox id)")]
    private static partial void Handled(ILogger logger, MemberActionKind kind, string group, string member);
}
