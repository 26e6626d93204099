using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// A coupon a member can show at checkout: one code for one ledger grant, its terms, its expiry, how many orders
/// may use it, and the orders that have (<see cref="Uses"/>).
/// </summary>
public sealed record Coupon
{
    /// <summary>The code (normalised), unique in the store.</summary>
    public required string Code { get; init; }

    /// <summary>The key of the ledger grant the coupon was issued for; a grant has at most one coupon.</summary>
    public required string GrantKey { get; init; }

    /// <summary>The rule (or draw prize) the grant came from.</summary>
    public required string RuleId { get; init; }

    /// <summary>The member the coupon was granted to.</summary>
    public required string Member { get; init; }

    /// <summary>What it does to an order.</summary>
    public required RewardCoupon Terms { get; init; }

    /// <summary>When it was issued (the grant's instant).</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The first instant it no longer applies; <see langword="null"/>: it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The money budget (charged at redemption, <see cref="RewardBudgetCharge.Redemption"/>) its uses spend, or
    /// <see langword="null"/>: its rule's budget, if any, was spent when it was granted.
    /// </summary>
    public string? BudgetId { get; init; }

    /// <summary>How many orders may redeem it (at least 1; the coupon reward's quantity).</summary>
    public int UsageLimit { get; init; } = 1;

    /// <summary>The orders that reserved, redeemed or rolled it back, in the order they first used it (from the store).</summary>
    public IReadOnlyList<CouponUse> Uses { get; init; } = [];

    /// <summary>Whether it has expired at <paramref name="at"/>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>Whether <paramref name="at"/> is at or after <see cref="ExpiresAt"/>.</returns>
    public bool IsExpiredAt(DateTimeOffset at) => ExpiresAt is { } x && at >= x;
}

/// <summary>One order's use of a coupon.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="State">Reserved, redeemed or rolled back.</param>
/// <param name="At">When the use last changed.</param>
/// <param name="ReservedUntil">For a reservation: when it lapses.</param>
/// <param name="OrderAmount">The order's amount before the coupon, in minor units.</param>
/// <param name="Discount">What the coupon takes off (a reservation) or took off (a redemption), in minor units; what the use holds of a money budget.</param>
public sealed record CouponUse(string OrderId, CouponUseState State, DateTimeOffset At, DateTimeOffset? ReservedUntil, long OrderAmount, long Discount)
{
    /// <summary>Whether the use holds one of the coupon's uses at <paramref name="at"/>: redeemed, or reserved and not lapsed.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>Whether it counts against <see cref="Coupon.UsageLimit"/>.</returns>
    public bool HoldsAt(DateTimeOffset at) => State == CouponUseState.Redeemed || (State == CouponUseState.Reserved && ReservedUntil > at);
}

/// <summary>The state of one order's use of a coupon.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponUseState>))]
public enum CouponUseState
{
    /// <summary>Held for the order during payment, until <see cref="CouponUse.ReservedUntil"/>.</summary>
    Reserved,

    /// <summary>Used by the order.</summary>
    Redeemed,

    /// <summary>Given back (refund, cancellation); the order cannot use the coupon again.</summary>
    RolledBack,
}
