using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Hosting;

/// <summary>The runtime's log messages: one <see cref="EventId"/> each (17001-17099), structured fields.</summary>
internal static class HostingLog
{
    public static readonly EventId EventAppliedId = new(17001, "EventApplied");
    public static readonly EventId EventDuplicateId = new(17002, "EventDuplicate");
    public static readonly EventId RemovalId = new(17003, "MemberRemoval");
    public static readonly EventId GrantRefusedByBudgetId = new(17004, "GrantRefusedByBudget");
    public static readonly EventId DrawClosedId = new(17005, "DrawClosed");
    public static readonly EventId DrawDrawnId = new(17006, "DrawDrawn");
    public static readonly EventId SchedulerTickFailedId = new(17007, "SchedulerTickFailed");
    public static readonly EventId SchedulerCatchUpId = new(17008, "SchedulerCatchUp");
    public static readonly EventId OutboxDeliveryFailedId = new(17009, "OutboxDeliveryFailed");
    public static readonly EventId OutboxDeadLetterId = new(17010, "OutboxDeadLetter");
    public static readonly EventId OutboxLeaseLostId = new(17011, "OutboxLeaseLost");
    public static readonly EventId OutboxPollFailedId = new(17012, "OutboxPollFailed");
    public static readonly EventId EventRecoveredId = new(17013, "EventRecovered");
    public static readonly EventId CampaignActionFailedId = new(17014, "CampaignActionFailed");
    public static readonly EventId CampaignAdvancedId = new(17015, "CampaignAdvanced");
    public static readonly EventId CampaignActionsCaughtUpId = new(17016, "CampaignActionsCaughtUp");

    private static readonly Action<ILogger, int, Exception?> s_campaignCaughtUp =
        LoggerMessage.Define<int>(LogLevel.Warning, CampaignActionsCaughtUpId,
            "{Actions} campaign actions were decided but not in the outbox (an instance stopped in between, or the outbox is new); enqueued now");

    private static readonly Action<ILogger, string, string, string, Exception?> s_campaignActionFailed =
        LoggerMessage.Define<string, string, string>(LogLevel.Error, CampaignActionFailedId,
            "Campaign action {ActionId} ({Kind} of draw {DrawId}) failed in a handler; it is not retried (the action outbox is off)");

    private static readonly Action<ILogger, int, int, int, int, int, int, Exception?> s_campaignAdvanced =
        LoggerMessage.Define<int, int, int, int, int, int>(LogLevel.Information, CampaignAdvancedId,
            "Campaign: {Created} draws created, {Closed} closed, {Drawn} drawn, {Forfeited} forfeited, {PrizesGranted} prizes granted, {PrizesOverBudget} over budget");

    private static readonly Action<ILogger, string, string, string, Exception?> s_recovered =
        LoggerMessage.Define<string, string, string>(LogLevel.Warning, EventRecoveredId,
            "Event {EventId} of {Group}/{Member} was stored but not applied (its instance stopped in between); applied now");

    private static readonly Action<ILogger, string, string, string, string, int, DateTimeOffset, Exception?> s_outboxFailed =
        LoggerMessage.Define<string, string, string, string, int, DateTimeOffset>(LogLevel.Warning, OutboxDeliveryFailedId,
            "Delivery of action {ActionId} ({Kind}) to {Group}/{Member} failed (attempt {Attempt}); retried at {RetryAt}");

    private static readonly Action<ILogger, string, string, string, string, int, Exception?> s_outboxDead =
        LoggerMessage.Define<string, string, string, string, int>(LogLevel.Error, OutboxDeadLetterId,
            "Action {ActionId} ({Kind}) to {Group}/{Member} given up after {Attempts} failed deliveries: a dead letter");

    private static readonly Action<ILogger, string, Exception?> s_outboxLeaseLost =
        LoggerMessage.Define<string>(LogLevel.Warning, OutboxLeaseLostId,
            "Action {ActionId}: the lease ran out and another instance took it over before this one marked it; it may be delivered again");

    private static readonly Action<ILogger, Exception?> s_outboxPollFailed =
        LoggerMessage.Define(LogLevel.Error, OutboxPollFailedId, "Outbox poll failed; retried on the next poll");

    private static readonly Action<ILogger, string, string, string, string, int, int, Exception?> s_applied =
        LoggerMessage.Define<string, string, string, string, int, int>(LogLevel.Debug, EventAppliedId,
            "Event {EventId} ({EventType}) of {Group}/{Member} applied: {ActionCount} actions, {GrantCount} grants");

    private static readonly Action<ILogger, string, string, string, Exception?> s_duplicate =
        LoggerMessage.Define<string, string, string>(LogLevel.Debug, EventDuplicateId,
            "Event {EventId} of {Group}/{Member} is a duplicate: stored before, not applied again");

    private static readonly Action<ILogger, string, string, string, DateTimeOffset, Exception?> s_removal =
        LoggerMessage.Define<string, string, string, DateTimeOffset>(LogLevel.Information, RemovalId,
            "Removal of {Group}/{Member} decided ({Reason}) at {At}");

    private static readonly Action<ILogger, string, string, string, long, Exception?> s_budget =
        LoggerMessage.Define<string, string, string, long>(LogLevel.Warning, GrantRefusedByBudgetId,
            "Event {EventId} of {Group}/{Member}: {RefusedCount} grants refused, budget exhausted");

    private static readonly Action<ILogger, string, int, Exception?> s_closed =
        LoggerMessage.Define<string, int>(LogLevel.Information, DrawClosedId,
            "Draw {DrawId} closed with {EntryCount} entries");

    private static readonly Action<ILogger, string, int, Exception?> s_drawn =
        LoggerMessage.Define<string, int>(LogLevel.Information, DrawDrawnId,
            "Draw {DrawId} drawn: {WinnerCount} winners");

    private static readonly Action<ILogger, string, Exception?> s_tickFailed =
        LoggerMessage.Define<string>(LogLevel.Error, SchedulerTickFailedId,
            "Scheduler tick failed in {Step}; retried on the next tick");

    private static readonly Action<ILogger, int, int, Exception?> s_catchUp =
        LoggerMessage.Define<int, int>(LogLevel.Information, SchedulerCatchUpId,
            "Scheduler start: deadlines of {GroupCount} groups reloaded, {ActionCount} missed deadlines processed");

    public static void Applied(ILogger logger, Events.CommunityEvent e, int actions, int grants) =>
        s_applied(logger, e.Id, e.Type.ToWireName(), e.Group, e.Member, actions, grants, null);

    public static void CampaignActionFailed(ILogger logger, Campaigns.CampaignAction action, string id, Exception exception) =>
        s_campaignActionFailed(logger, id, action.Kind.ToString(), action.DrawId, exception);

    public static void CampaignActionsCaughtUp(ILogger logger, int actions) => s_campaignCaughtUp(logger, actions, null);

    public static void CampaignAdvanced(ILogger logger, Campaigns.CampaignAdvance a) =>
        s_campaignAdvanced(logger, a.Created, a.Closed, a.Drawn, a.Forfeited, a.PrizesGranted, a.PrizesOverBudget, null);

    public static void Recovered(ILogger logger, Events.CommunityEvent e) => s_recovered(logger, e.Id, e.Group, e.Member, null);

    public static void Duplicate(ILogger logger, Events.CommunityEvent e) => s_duplicate(logger, e.Id, e.Group, e.Member, null);

    public static void Actions(ILogger logger, IReadOnlyList<MemberAction> actions)
    {
        foreach (var a in actions)
        {
            if (a.Kind == MemberActionKind.Removal)
            {
                s_removal(logger, a.Group, a.Member, a.Reason.ToString(), a.At, null);
            }
        }
    }

    public static void GrantRefusedByBudget(ILogger logger, Events.CommunityEvent e, long refused) =>
        s_budget(logger, e.Id, e.Group, e.Member, refused, null);

    public static void DrawClosed(ILogger logger, DrawRecord r) => s_closed(logger, r.DrawId, r.EntryCount, null);

    public static void DrawDrawn(ILogger logger, DrawRecord r, int winners) => s_drawn(logger, r.DrawId, winners, null);

    public static void TickFailed(ILogger logger, string step, Exception exception) => s_tickFailed(logger, step, exception);

    public static void CatchUp(ILogger logger, int groups, int actions) => s_catchUp(logger, groups, actions, null);

    public static void OutboxDeliveryFailed(ILogger logger, OutboxEntry e, int attempt, DateTimeOffset retryAt, Exception exception) =>
        s_outboxFailed(logger, e.Id, HostingMetrics.KindName(e.Action), Subject(e.Action).Group, Subject(e.Action).Member, attempt, retryAt, exception);

    public static void OutboxDeadLetter(ILogger logger, OutboxEntry e, int attempts, Exception exception) =>
        s_outboxDead(logger, e.Id, HostingMetrics.KindName(e.Action), Subject(e.Action).Group, Subject(e.Action).Member, attempts, exception);

    /// <summary>Whom an outbox action is about, for the log: a member action's group and member; a campaign action's draw and winner.</summary>
    private static (string Group, string Member) Subject(OutboxAction action) => action switch
    {
        MemberAction a => (a.Group, a.Member),
        Campaigns.CampaignAction a => (a.DrawId, a.Member ?? string.Empty),
        Rewards.RewardGranted a => (a.Group, a.Grant.Member),
        _ => (string.Empty, string.Empty),
    };

    public static void OutboxLeaseLost(ILogger logger, OutboxEntry e) => s_outboxLeaseLost(logger, e.Id, null);

    public static void OutboxPollFailed(ILogger logger, Exception exception) => s_outboxPollFailed(logger, exception);
}
