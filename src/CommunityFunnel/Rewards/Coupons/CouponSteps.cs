namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// The rules of a coupon's uses, shared by every store (this file is compiled into the SQL store packages too):
/// given a coupon with its uses, what a reservation, redemption or rollback does. A store reads the coupon inside
/// its transaction (the row locked), asks here, and writes the use and the audit entry it is given.
/// </summary>
internal static class CouponSteps
{
    /// <summary>The outcome, and the order's new use to write (<see langword="null"/>: nothing changes).</summary>
    /// <param name="coupon">The coupon, read in the transaction.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="at">Now.</param>
    /// <param name="until">When the reservation lapses.</param>
    /// <param name="charge">The order's amount, the discount, the budget's limit.</param>
    /// <param name="budgetHeld">For a coupon with a budget: what the other uses of the budget's coupons hold at <paramref name="at"/> (<see cref="BudgetHeldByOthers"/>), read under the budget's lock.</param>
    public static (CouponStepOutcome Outcome, CouponUse? Write) Reserve(Coupon coupon, string orderId, DateTimeOffset at, DateTimeOffset until, CouponCharge charge, long budgetHeld)
    {
        var mine = Mine(coupon, orderId);
        switch (mine)
        {
            case { State: CouponUseState.Redeemed }:
                return (CouponStepOutcome.AlreadyDone, null);
            case { State: CouponUseState.RolledBack }:
                return (CouponStepOutcome.RolledBack, null);
            case { State: CouponUseState.Reserved } when mine.ReservedUntil > at:
                return (CouponStepOutcome.AlreadyDone, mine with { At = at, ReservedUntil = until });
        }

        return (Refusal(coupon, orderId, at) ?? OverBudget(coupon, charge, budgetHeld)) is { } refused
            ? (refused, null)
            : (CouponStepOutcome.Done, new CouponUse(orderId, CouponUseState.Reserved, at, until, charge.OrderAmount, charge.Discount));
    }

    /// <summary>As <see cref="Reserve"/>, for a redemption.</summary>
    public static (CouponStepOutcome Outcome, CouponUse? Write) Redeem(Coupon coupon, string orderId, DateTimeOffset at, CouponCharge charge, long budgetHeld)
    {
        var redeemed = new CouponUse(orderId, CouponUseState.Redeemed, at, null, charge.OrderAmount, charge.Discount);
        var mine = Mine(coupon, orderId);
        switch (mine)
        {
            case { State: CouponUseState.Redeemed }:
                return (CouponStepOutcome.AlreadyDone, null);
            case { State: CouponUseState.RolledBack }:
                return (CouponStepOutcome.RolledBack, null);
            case { State: CouponUseState.Reserved } when mine.ReservedUntil > at:
                return OverBudget(coupon, charge, budgetHeld) is { } over ? (over, null) : (CouponStepOutcome.Done, redeemed);
        }

        return (Refusal(coupon, orderId, at) ?? OverBudget(coupon, charge, budgetHeld)) is { } refused
            ? (refused, null)
            : (CouponStepOutcome.Done, redeemed);
    }

    /// <summary>
    /// What the uses of a budget's coupons hold at <paramref name="at"/>, leaving out the use of
    /// (<paramref name="code"/>, <paramref name="orderId"/>): the in-memory store's sum (the SQL stores say the same
    /// in one query).
    /// </summary>
    public static long BudgetHeldByOthers(IEnumerable<Coupon> budgetCoupons, string code, string orderId, DateTimeOffset at)
    {
        long held = 0;
        foreach (var c in budgetCoupons)
        {
            foreach (var use in c.Uses)
            {
                if (use.HoldsAt(at) && !(string.Equals(c.Code, code, StringComparison.Ordinal) && string.Equals(use.OrderId, orderId, StringComparison.Ordinal)))
                {
                    held = checked(held + use.Discount);
                }
            }
        }

        return held;
    }

    public static (CouponStepOutcome Outcome, CouponUse? Write) Rollback(Coupon coupon, string orderId, DateTimeOffset at) =>
        Mine(coupon, orderId) switch
        {
            null => (CouponStepOutcome.NotUsedByOrder, null),
            { State: CouponUseState.RolledBack } => (CouponStepOutcome.AlreadyDone, null),
            var use => (CouponStepOutcome.Done, use with { State = CouponUseState.RolledBack, At = at, ReservedUntil = null }),
        };

    /// <summary>The audit action a written use records.</summary>
    public static CouponAuditAction ActionOf(CouponUse use) => use.State switch
    {
        CouponUseState.Reserved => CouponAuditAction.Reserved,
        CouponUseState.Redeemed => CouponAuditAction.Redeemed,
        _ => CouponAuditAction.RolledBack,
    };

    /// <summary>Checks the arguments every store checks the same way.</summary>
    public static void CheckArguments(string code, string orderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(orderId);
    }

    /// <summary>Checks a charge for a coupon: amounts in range, and a budget limit exactly when the coupon has a budget.</summary>
    public static void CheckCharge(CouponCharge charge)
    {
        ArgumentNullException.ThrowIfNull(charge);
        if (charge.OrderAmount < 0 || charge.Discount < 0 || charge.Discount > charge.OrderAmount)
        {
            throw new ArgumentException(
                $"charge: the discount must be between 0 and the order amount, it is {charge.Discount} of {charge.OrderAmount}", nameof(charge));
        }

        if (charge.BudgetLimit < 0)
        {
            throw new ArgumentException($"charge.BudgetLimit must not be negative, it is {charge.BudgetLimit}", nameof(charge));
        }
    }

    public static void CheckCoupon(Coupon coupon)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        ArgumentException.ThrowIfNullOrEmpty(coupon.Code, nameof(coupon));
        ArgumentException.ThrowIfNullOrEmpty(coupon.GrantKey, nameof(coupon));
        ArgumentNullException.ThrowIfNull(coupon.Terms, nameof(coupon));
        if (coupon.BudgetId is { Length: 0 })
        {
            throw new ArgumentException("coupon.BudgetId must be null or a budget id, it is empty", nameof(coupon));
        }

        if (coupon.UsageLimit < 1)
        {
            throw new ArgumentException($"coupon.UsageLimit must be at least 1, it is {coupon.UsageLimit}", nameof(coupon));
        }
    }

    private static CouponUse? Mine(Coupon coupon, string orderId)
    {
        foreach (var use in coupon.Uses)
        {
            if (string.Equals(use.OrderId, orderId, StringComparison.Ordinal))
            {
                return use;
            }
        }

        return null;
    }

    private static CouponStepOutcome? OverBudget(Coupon coupon, CouponCharge charge, long budgetHeld)
    {
        if (coupon.BudgetId is null)
        {
            return null;
        }

        var limit = charge.BudgetLimit
            ?? throw new ArgumentException($"coupon '{coupon.Code}' spends budget '{coupon.BudgetId}': the charge must give its limit", nameof(charge));
        return budgetHeld > limit - charge.Discount ? CouponStepOutcome.BudgetExhausted : null;
    }

    private static CouponStepOutcome? Refusal(Coupon coupon, string orderId, DateTimeOffset at)
    {
        if (coupon.IsExpiredAt(at))
        {
            return CouponStepOutcome.Expired;
        }

        var held = 0;
        foreach (var use in coupon.Uses)
        {
            if (!string.Equals(use.OrderId, orderId, StringComparison.Ordinal) && use.HoldsAt(at))
            {
                held++;
            }
        }

        return held >= coupon.UsageLimit ? CouponStepOutcome.UsedUp : null;
    }
}
