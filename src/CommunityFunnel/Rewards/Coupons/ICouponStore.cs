namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// Where coupons, their uses by orders and their audit trail are kept. Implementations must be thread-safe and
/// safe across host instances: a code is unique in the store (a SQL store: a primary key), a grant has at most one
/// coupon (a unique index), and the uses of one coupon change one transaction at a time (a row lock), so two
/// checkouts racing for the last use of a coupon cannot both get it. Every call may be cancelled; a cancelled
/// step either happened completely (with its audit entry) or not at all. Instants are the caller's (the service
/// reads its <see cref="TimeProvider"/>). A coupon with a <see cref="Coupon.BudgetId"/> also takes its budget's lock
/// (after the coupon's) in a reservation or redemption, and is refused when the discounts held by the uses of all the
/// budget's coupons, plus this one, would pass <see cref="CouponCharge.BudgetLimit"/>.
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
    /// reservation is renewed (<see cref="CouponStepOutcome.AlreadyDone"/>, the new <paramref name="until"/> kept, its
    /// first charge too);
    /// its redemption is <see cref="CouponStepOutcome.AlreadyDone"/>. Otherwise refused when the coupon is
    /// expired at <paramref name="at"/>, when the order's use was rolled back, or when the uses that hold at
    /// <paramref name="at"/> (redeemed, or reserved and not lapsed) already reach the usage limit, or (a coupon with a
    /// budget) when the discount does not fit in its budget.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="until">When the reservation lapses (after <paramref name="at"/>).</param>
    /// <param name="charge">The order's amount and discount, kept on the reservation, and the budget's limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> ReserveAsync(string code, string orderId, DateTimeOffset at, DateTimeOffset until, CouponCharge charge, CancellationToken cancellationToken);

    /// <summary>
    /// Redeems one use for <paramref name="orderId"/>: idempotent per order (a second call is
    /// <see cref="CouponStepOutcome.AlreadyDone"/> and keeps the first amounts). The order's live reservation is
    /// turned into the redemption, even if the coupon expired after it was reserved (the budget is checked again
    /// with the redemption's discount); without one, the same checks as <see cref="ReserveAsync"/> apply.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="charge">The order's amount and the discount, kept on the redemption, and the budget's limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> RedeemAsync(string code, string orderId, DateTimeOffset at, CouponCharge charge, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back the order's use (a refund of a redeemed order, or a cancelled checkout's reservation): the use
    /// becomes <see cref="CouponUseState.RolledBack"/> and no longer counts against the usage limit nor holds any of
    /// the coupon's money budget; a second call is <see cref="CouponStepOutcome.AlreadyDone"/>.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<CouponStepOutcome> RollbackAsync(string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// What the uses of the coupons of a money budget hold at <paramref name="at"/>: the sum of the discounts of
    /// the redeemed uses and of the reservations not lapsed (0 for a budget no coupon names).
    /// </summary>
    /// <param name="budgetId">The budget.</param>
    /// <param name="at">The instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The minor units held.</returns>
    Task<long> GetBudgetUsedAsync(string budgetId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The coupon's audit trail, oldest first (empty for an unknown code).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<CouponAuditEntry>> GetAuditTrailAsync(string code, CancellationToken cancellationToken);
}
