using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
namespace CommunityFunnel.Campaigns;

/// <summary>What one <see cref="IDrawCampaign.AdvanceAsync"/> did.</summary>
public sealed record CampaignAdvance
{
    /// <summary>The actions decided, in order.</summary>
    public required IReadOnlyList<CampaignAction> Actions { get; init; }

    /// <summary>Instances created from their templates.</summary>
    public int Created { get; init; }

    /// <summary>Entry changes written to draws (enter, add tickets, withdraw).</summary>
    public int EntryChanges { get; init; }

    /// <summary>Instances closed.</summary>
    public int Closed { get; init; }

    /// <summary>Instances drawn.</summary>
    public int Drawn { get; init; }

    /// <summary>Ticket grants refused because their draw had closed (reversed in the ledger, <see cref="TicketRefusalReason.DrawClosed"/>).</summary>
    public int Refused { get; init; }

    /// <summary>Winners forfeited (left the group, or did not claim in time).</summary>
    public int Forfeited { get; init; }

    /// <summary>Prizes granted through the ledger.</summary>
    public int PrizesGranted { get; init; }

    /// <summary>Prizes not granted because their budget was exhausted.</summary>
    public int PrizesOverBudget { get; init; }
}
