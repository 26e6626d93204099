using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>What <see cref="ICouponStore.TryIssueAsync"/> did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponIssueOutcome>))]
public enum CouponIssueOutcome
{
    /// <summary>The coupon was stored.</summary>
    Issued,

    /// <summary>The grant already has a coupon (returned); nothing was stored.</summary>
    AlreadyIssued,

    /// <summary>Another coupon has this code; nothing was stored: try again with a new code.</summary>
    CodeTaken,
}

/// <summary>The outcome of an issue, and the grant's coupon (the new one, or the one it already had; <see langword="null"/> for <see cref="CouponIssueOutcome.CodeTaken"/>).</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Coupon">The grant's coupon.</param>
public sealed record CouponIssueResult(CouponIssueOutcome Outcome, Coupon? Coupon);

/// <summary>What a reservation, redemption or rollback did in the store.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponStepOutcome>))]
public enum CouponStepOutcome
{
    /// <summary>Done now.</summary>
    Done,

    /// <summary>Already done for this order (a repeated call): nothing changed, reported as success.</summary>
    AlreadyDone,

    /// <summary>No coupon has this code.</summary>
    NotFound,

    /// <summary>The coupon has expired.</summary>
    Expired,

    /// <summary>Every use is redeemed or held by other orders' live reservations.</summary>
    UsedUp,

    /// <summary>The order's use was rolled back; an order never uses the coupon again.</summary>
    RolledBack,

    /// <summary>For a rollback: the order never reserved or redeemed the coupon.</summary>
    NotUsedByOrder,

    /// <summary>The coupon's money budget cannot pay the discount on top of what the other uses of its coupons hold.</summary>
    BudgetExhausted,
}

/// <summary>
/// What a reservation or redemption takes: the order's amount and the coupon's discount on it (kept on the use),
/// and the limit of the coupon's money budget when it has one (<see cref="Coupon.BudgetId"/>).
/// </summary>
/// <param name="OrderAmount">The order's amount before the coupon, in minor units (at least 0).</param>
/// <param name="Discount">What the coupon takes off, in minor units (0 to <paramref name="OrderAmount"/>).</param>
/// <param name="BudgetLimit">The coupon's budget's limit, in minor units; <see langword="null"/> when it has no budget charged at redemption.</param>
public sealed record CouponCharge(long OrderAmount, long Discount, long? BudgetLimit = null);

/// <summary>What happened to a coupon, as the store's audit trail keeps it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponAuditAction>))]
public enum CouponAuditAction
{
    /// <summary>Issued for a grant.</summary>
    Issued,

    /// <summary>Reserved (or a reservation renewed) for an order.</summary>
    Reserved,

    /// <summary>Redeemed by an order.</summary>
    Redeemed,

    /// <summary>A redemption rolled back (refund) or a reservation released (cancellation).</summary>
    RolledBack,
}

/// <summary>One step in a coupon's audit trail.</summary>
/// <param name="Code">The coupon.</param>
/// <param name="Action">What happened.</param>
/// <param name="OrderId">The order, for every action but <see cref="CouponAuditAction.Issued"/>.</param>
/// <param name="At">When.</param>
/// <param name="Amount">For a redemption: the discount in minor units; otherwise 0.</param>
public sealed record CouponAuditEntry(string Code, CouponAuditAction Action, string? OrderId, DateTimeOffset At, long Amount);
