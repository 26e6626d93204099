namespace CommunityFunnel.Rewards;

/// <summary>The terms of a coupon reward.</summary>
public sealed record RewardCoupon
{
    /// <summary>The kind of coupon.</summary>
    public CouponKind Kind { get; init; }

    /// <summary>For <see cref="CouponKind.PercentOff"/>: 1 to 100 percent off.</summary>
    public int PercentOff { get; init; }

    /// <summary>For <see cref="CouponKind.AmountOff"/>: the amount off in minor units. For <see cref="CouponKind.FreeOrder"/>: the cap (0: the whole order).</summary>
    public long AmountOff { get; init; }

    /// <summary>The least spend, in minor units, for the coupon to apply (required for <see cref="CouponKind.SpendGetGift"/>).</summary>
    public long MinSpend { get; init; }

    /// <summary>For <see cref="CouponKind.SpendGetGift"/>: the gift.</summary>
    public string? Gift { get; init; }

    /// <summary>
    /// How many local days the coupon is valid, counting the day it is granted; it expires at the start of the
    /// following local day. <see langword="null"/> means no expiry.
    /// </summary>
    public int? ValidDays { get; init; }
}
