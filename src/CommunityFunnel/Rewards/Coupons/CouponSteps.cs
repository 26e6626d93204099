namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// The rules of a coupon's uses, shared by every store (this file is compiled into the SQL store packages too):
/// given a coupon with its uses, what a reservation, redemption or rollback does. A store reads the coupon inside
/// its transaction (the row locked), asks here, and writes the use and the audit entry it is given.
/// </summary>
internal static class CouponSteps
{
    /// <summary>The outcome, and the order's new use to write (<see langword="null"/>: nothing changes).</summary>
    public static (CouponStepOutcome Outcome, CouponUse? Write) Reserve(Coupon coupon, string orderId, DateTimeOffset at, DateTimeOffset until)
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

        return Refusal(coupon, orderId, at) is { } refused
            ? (refused, null)
            : (CouponStepOutcome.Done, new CouponUse(orderId, CouponUseState.Reserved, at, until, 0, 0));
    }

    public static (CouponStepOutcome Outcome, CouponUse? Write) Redeem(Coupon coupon, string orderId, DateTimeOffset at, long orderAmount, long discount)
    {
        var mine = Mine(coupon, orderId);
        switch (mine)
        {
            case { State: CouponUseState.Redeemed }:
                return (CouponStepOutcome.AlreadyDone, null);
            case { State: CouponUseState.RolledBack }:
                return (CouponStepOutcome.RolledBack, null);
            case { State: CouponUseState.Reserved } when mine.ReservedUntil > at:
                return (CouponStepOutcome.Done, new CouponUse(orderId, CouponUseState.Redeemed, at, null, orderAmount, discount));
        }

        return Refusal(coupon, orderId, at) is { } refused
            ? (refused, null)
            : (CouponStepOutcome.Done, new CouponUse(orderId, CouponUseState.Redeemed, at, null, orderAmount, discount));
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

    public static void CheckCoupon(Coupon coupon)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        ArgumentException.ThrowIfNullOrEmpty(coupon.Code, nameof(coupon));
        ArgumentException.ThrowIfNullOrEmpty(coupon.GrantKey, nameof(coupon));
        ArgumentNullException.ThrowIfNull(coupon.Terms, nameof(coupon));
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
