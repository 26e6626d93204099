using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>
/// An action the campaign decided, for the host to carry out (a message to a winner, an announcement). With the action
/// outbox on, the hosted runtime keeps it in the outbox like a <see cref="MemberAction"/> and delivers it at least once.
/// </summary>
public sealed record CampaignAction : OutboxAction
{
    /// <summary>What to do.</summary>
    public required CampaignActionKind Kind { get; init; }

    /// <summary>The draw.</summary>
    public required string DrawId { get; init; }

    /// <summary>When it was decided (the <c>asOf</c> of the call).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>For <see cref="CampaignActionKind.PrizeWon"/>: the winner.</summary>
    public string? Member { get; init; }

    /// <summary>For <see cref="CampaignActionKind.PrizeWon"/>: the tier.</summary>
    public string? Tier { get; init; }

    /// <summary>For <see cref="CampaignActionKind.PrizeWon"/>: the slot in the tier, from 0.</summary>
    public int? Slot { get; init; }

    /// <summary>For <see cref="CampaignActionKind.PrizeWon"/>: the prize.</summary>
    public RewardSpec? Reward { get; init; }

    /// <summary>For <see cref="CampaignActionKind.PrizeWon"/>: the prize's ledger key once granted; <see langword="null"/> while it waits for a claim.</summary>
    public string? GrantKey { get; init; }

    /// <summary>For a coupon prize once granted: the code the winner shows at checkout.</summary>
    public string? CouponCode { get; init; }

    /// <summary>For a prize to claim: the instant after which it is forfeited.</summary>
    public DateTimeOffset? ClaimBy { get; init; }

    /// <summary>For <see cref="CampaignActionKind.DrawPublished"/>: the proof (fair-draw/v1), verifiable with <see cref="FairDraw.Verify(DrawProof)"/>.</summary>
    public DrawProof? Proof { get; init; }
}
