using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>An order a coupon is tried on.</summary>
/// <param name="OrderId">The shop's order id (a redemption is idempotent per order id).</param>
/// <param name="Amount">What the order costs before the coupon, in the currency's minor units (分 for CNY); at least 0.</param>
/// <param name="Member">The member checking out, or <see langword="null"/> when the shop lets anyone use a member's code.</param>
public sealed record CouponOrder(string OrderId, long Amount, string? Member = null);

/// <summary>Why a coupon does not apply to an order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponRejection>))]
public enum CouponRejection
{
    /// <summary>It applies.</summary>
    None,

    /// <summary>The code does not have the pattern's shape or its check character is wrong (a typo): refused without a lookup.</summary>
    Malformed,

    /// <summary>No coupon has this code.</summary>
    NotFound,

    /// <summary>The coupon was granted to another member.</summary>
    OtherMember,

    /// <summary>The coupon has expired.</summary>
    Expired,

    /// <summary>The order is below the coupon's minimum spend.</summary>
    BelowMinimumSpend,

    /// <summary>Every use is redeemed or held by other orders' reservations.</summary>
    UsedUp,

    /// <summary>This order's use was rolled back (refund or cancellation); the order cannot use the coupon again.</summary>
    RolledBack,

    /// <summary>For a rollback: the order never reserved or redeemed the coupon.</summary>
    NotUsedByOrder,

    /// <summary>
    /// The coupon's money budget (charged at redemption) cannot pay this discount on top of what other orders'
    /// uses hold.
    /// </summary>
    BudgetExhausted,
}

/// <summary>What a coupon does to an order, or why it does not apply.</summary>
public sealed record CouponValidation
{
    /// <summary>Whether it applies (or, for a reservation, redemption or rollback, whether the step was done or had been done).</summary>
    public bool Applies => Rejection == CouponRejection.None;

    /// <summary>Why not; <see cref="CouponRejection.None"/> when it applies.</summary>
    public CouponRejection Rejection { get; init; }

    /// <summary>The normalised code.</summary>
    public required string Code { get; init; }

    /// <summary>The coupon, when the code was found.</summary>
    public Coupon? Coupon { get; init; }

    /// <summary>What the coupon takes off the order, in minor units (0 for a gift coupon or when it does not apply).</summary>
    public long Discount { get; init; }

    /// <summary>What is left to pay: the order's amount minus <see cref="Discount"/>.</summary>
    public long AmountToPay { get; init; }

    /// <summary>For a spend-and-get-a-gift coupon: the gift.</summary>
    public string? Gift { get; init; }

    /// <summary>For a step: whether it had already been done for this order (a repeated call).</summary>
    public bool AlreadyDone { get; init; }
}
