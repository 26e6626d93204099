namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// Where coupons, their uses by orders and their audit trail are kept. Implementations must be thread-safe and
/// safe across host instances: a code is unique in the store (a SQL store: a primary key), a grant has at most one
/// coupon (a unique index), and the uses of one coupon change one transaction at a time (a row lock), so two
/// checkouts racing for the last use of a coupon cannot both get it. Every call may be cancelled; a cancelled
/// step either happened completely (with its audit entry) or not at all. Instants are the caller's (the service
/// reads its <see cref="TimeProvider"/>).
/// </summary>
public interface ICouponStore
{
    /// <summary>
    /// Stores <paramref name="coupon"/> (its <see cref="Coupon.Uses"/> ignored) and appends an
    /// <see cref="CouponAuditAction.Issued"/> entry, unless its grant already has a coupon (then that one is
    /// returned) or its code is taken.
    /// </summary>
    /// <param name="coupon">The new coupon.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponIssueResult> TryIssueAsync(Coupon coupon, CancellationToken cancellationToken);

    /// <summary>The coupon with this (normalised) code, with its uses, or <see langword="null"/>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The coupon.</returns>
    Task<Coupon?> FindAsync(string code, CancellationToken cancellationToken);

    /// <summary>The coupon issued for a ledger grant, with its uses, or <see langword="null"/>.</summary>
    /// <param name="grantKey">The grant's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The coupon.</returns>
    Task<Coupon?> FindByGrantAsync(string grantKey, CancellationToken cancellationToken);

    /// <summary>Every coupon with its uses, in code order (ordinal): for reports.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The coupons.</returns>
    Task<IReadOnlyList<Coupon>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Holds one use of the coupon for <paramref name="orderId"/> until <paramref name="until"/>. The order's live
    /// reservation is renewed (<see cref="CouponStepOutcome.AlreadyDone"/>, the new <paramref name="until"/> kept);
    /// its redemption is <see cref="CouponStepOutcome.AlreadyDone"/>. Otherwise refused when the coupon is
    /// expired at <paramref name="at"/>, when the order's use was rolled back, or when the uses that hold at
    /// <paramref name="at"/> (redeemed, or reserved and not lapsed) already reach the usage limit.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="until">When the reservation lapses (after <paramref name="at"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> ReserveAsync(string code, string orderId, DateTimeOffset at, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Redeems one use for <paramref name="orderId"/>: idempotent per order (a second call is
    /// <see cref="CouponStepOutcome.AlreadyDone"/> and keeps the first amounts). The order's live reservation is
    /// turned into the redemption, even if the coupon expired after it was reserved; without one, the same checks
    /// as <see cref="ReserveAsync"/> apply.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="orderAmount">The order's amount before the coupon, in minor units.</param>
    /// <param name="discount">What the coupon takes off, in minor units.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> RedeemAsync(string code, string orderId, DateTimeOffset at, long orderAmount, long discount, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back the order's use (a refund of a redeemed order, or a cancelled checkout's reservation): the use
    /// becomes <see cref="CouponUseState.RolledBack"/> and no longer counts against the usage limit; a second call
    /// is <see cref="CouponStepOutcome.AlreadyDone"/>.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> RollbackAsync(string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The coupon's audit trail, oldest first (empty for an unknown code).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<CouponAuditEntry>> GetAuditTrailAsync(string code, CancellationToken cancellationToken);
}
