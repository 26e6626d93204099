namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// Coupons at a shop's checkout: issue a code for a coupon grant, check a typed code against an order, hold it
/// during payment, redeem it, give it back on a refund or cancellation. Each step is in the store's audit trail.
/// Instants come from the host's <see cref="TimeProvider"/>.
/// </summary>
public interface ICouponService
{
    /// <summary>
    /// The coupon of a ledger grant that gives a coupon: issued with a new code the first time (a code already
    /// taken is replaced by another), the same coupon every later time. Its terms are the grant's first coupon
    /// reward, its usage limit that reward's quantity, its expiry the grant's <see cref="RewardLedgerEntry.ExpiresAt"/>.
    /// </summary>
    /// <param name="grant">A grant with a coupon reward.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The coupon.</returns>
    Task<Coupon> IssueAsync(RewardLedgerEntry grant, CancellationToken cancellationToken = default);

    /// <summary>Whether the typed <paramref name="code"/> applies to <paramref name="order"/> now, and what it does; changes nothing.</summary>
    /// <param name="code">The code as typed (normalised here).</param>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validation.</returns>
    Task<CouponValidation> ValidateAsync(string code, CouponOrder order, CancellationToken cancellationToken = default);

    /// <summary>Validates, then holds one use for the order for <paramref name="ttl"/> (default: the options' reservation time).</summary>
    /// <param name="code">The code as typed.</param>
    /// <param name="order">The order.</param>
    /// <param name="ttl">How long the reservation holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validation; <see cref="CouponValidation.Applies"/> when the use is held.</returns>
    Task<CouponValidation> ReserveAsync(string code, CouponOrder order, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Validates and redeems one use for the order (idempotent per order id: a repeated call reports the first redemption's discount).</summary>
    /// <param name="code">The code as typed.</param>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validation; <see cref="CouponValidation.Applies"/> when redeemed.</returns>
    Task<CouponValidation> RedeemAsync(string code, CouponOrder order, CancellationToken cancellationToken = default);

    /// <summary>Gives back the order's use (refund of a redemption, or a cancelled reservation); idempotent.</summary>
    /// <param name="code">The code as typed.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validation; <see cref="CouponValidation.Applies"/> when rolled back (now or before).</returns>
    Task<CouponValidation> RollbackAsync(string code, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// How much of a money budget charged at redemption (<see cref="RewardBudgetCharge.Redemption"/>) the uses of its
    /// coupons hold now: redemptions and live reservations; rolled-back and lapsed ones hold nothing.
    /// </summary>
    /// <param name="budgetId">The budget's id, as in the reward rules.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The budget's limit, use and currency.</returns>
    /// <exception cref="ArgumentException">The reward rules have no such budget charged at redemption.</exception>
    Task<RewardBudgetUse> GetBudgetUseAsync(string budgetId, CancellationToken cancellationToken = default);
}
