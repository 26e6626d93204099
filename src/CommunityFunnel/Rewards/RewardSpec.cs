namespace CommunityFunnel.Rewards;

/// <summary>One reward a rule gives each time it fires.</summary>
public sealed record RewardSpec
{
    /// <summary>What is given.</summary>
    public RewardKind Kind { get; init; }

    /// <summary>How many: points, tickets or coupons. Default 1.</summary>
    public long Quantity { get; init; } = 1;

    /// <summary>
    /// For <see cref="RewardKind.Tickets"/>: the draw id. It may hold <c>{date}</c>, <c>{week}</c> (the local
    /// date of the ISO week's Monday) or <c>{month}</c> (<c>yyyy-MM</c>), filled from the grant's local date.
    /// </summary>
    public string? Draw { get; init; }

    /// <summary>For <see cref="RewardKind.Coupon"/>: the coupon's terms.</summary>
    public RewardCoupon? Coupon { get; init; }

    /// <summary>For <see cref="RewardKind.Prize"/>: what the physical prize is, as the winner is told.</summary>
    public string? Prize { get; init; }

    /// <summary>What one unit costs the rule's budget (units, or money in minor units). Default 1.</summary>
    public long Cost { get; init; } = 1;
}
