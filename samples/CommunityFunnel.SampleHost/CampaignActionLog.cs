using CommunityFunnel.Campaigns;
using CommunityFunnel.Hosting;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// The sample's <see cref="ICampaignActionHandler"/>: it logs each <c>prize_won</c> and <c>draw_published</c> with its
/// deterministic id and keeps it in memory for <c>GET /campaign/actions</c>. A real host tells the winner and posts the
/// result with its proof in the group here, passing the id as its idempotency key.
/// </summary>
/// <remarks>
/// The runtime hands campaign actions over once, on the scheduler's loop, not through the outbox: an instance killed
/// between the campaign's step and this handler loses that announcement (the draws and grants stay). The memory list is
/// this process's only: it starts empty after a restart.
/// </remarks>
public sealed partial class CampaignActionLog(ILogger<CampaignActionLog> logger) : ICampaignActionHandler
{
    /// <summary>The log event id of a <see cref="CampaignActionKind.PrizeWon"/> (fields <c>ActionId</c>, <c>Draw</c>, <c>Member</c>, <c>Tier</c>, <c>Slot</c>, <c>GrantKey</c>).</summary>
    public const int PrizeWonEventId = 1711;

    /// <summary>The log event id of a <see cref="CampaignActionKind.DrawPublished"/> (fields <c>ActionId</c>, <c>Draw</c>, <c>Winners</c>, <c>Entries</c>).</summary>
    public const int DrawPublishedEventId = 1712;

    private readonly List<RecordedCampaignAction> _actions = [];

    /// <summary>The actions handed to this process so far, in order.</summary>
    public IReadOnlyList<RecordedCampaignAction> Actions
    {
        get
        {
            lock (_actions)
            {
                return [.. _actions];
            }
        }
    }

    /// <inheritdoc/>
    public Task HandleAsync(CampaignAction action, string actionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(actionId);
        if (action.Kind == CampaignActionKind.PrizeWon)
        {
            PrizeWon(logger, actionId, action.DrawId, action.Member, action.Tier, action.Slot, action.GrantKey, action.ClaimBy);
        }
        else
        {
            DrawPublished(logger, actionId, action.DrawId, action.Proof?.Winners.Count ?? 0, action.Proof?.EntryCount ?? 0);
        }

        lock (_actions)
        {
            _actions.Add(new RecordedCampaignAction(actionId, action));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = PrizeWonEventId, EventName = "PrizeWon", Level = LogLevel.Information,
        Message = "Campaign action {ActionId}: {Member} won {Tier} #{Slot} of {Draw} (grant {GrantKey}, claim by {ClaimBy})")]
    private static partial void PrizeWon(ILogger logger, string actionId, string draw, string? member, string? tier, int? slot, string? grantKey, DateTimeOffset? claimBy);

    [LoggerMessage(EventId = DrawPublishedEventId, EventName = "DrawPublished", Level = LogLevel.Information,
        Message = "Campaign action {ActionId}: {Draw} published with {Winners} winners over {Entries} entries")]
    private static partial void DrawPublished(ILogger logger, string actionId, string draw, int winners, long entries);
}

/// <summary>A campaign action as the sample's handler got it.</summary>
/// <param name="Id">Its deterministic id.</param>
/// <param name="Action">The action.</param>
public sealed record RecordedCampaignAction(string Id, CampaignAction Action);
