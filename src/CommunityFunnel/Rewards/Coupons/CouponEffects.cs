namespace CommunityFunnel.Rewards.Coupons;

/// <summary>What a coupon's terms do to an order's amount, in minor units.</summary>
public static class CouponEffects
{
    /// <summary>
    /// The discount <paramref name="terms"/> give on <paramref name="amount"/> minor units (0 when the amount is
    /// below <see cref="RewardCoupon.MinSpend"/>; check that first):
    /// percent off: <c>amount × percent / 100</c> rounded to the nearest minor unit, an exact half rounded
    /// <em>down</em> (in the shop's favour: 20% off 1.25 is 0.25, 50% off 0.03 is 0.01); amount off: the amount,
    /// at most the order; spend and get a gift: 0; free order: the whole order, at most
    /// <see cref="RewardCoupon.AmountOff"/> when that is above 0 (the cap).
    /// </summary>
    /// <param name="terms">The coupon's terms.</param>
    /// <param name="amount">The order's amount in minor units (at least 0).</param>
    /// <returns>The discount, between 0 and <paramref name="amount"/>.</returns>
    public static long Discount(RewardCoupon terms, long amount)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount < terms.MinSpend)
        {
            return 0;
        }

        var discount = terms.Kind switch
        {
            CouponKind.PercentOff => (long)(((Int128)amount * Math.Clamp(terms.PercentOff, 0, 100) + 49) / 100),
            CouponKind.AmountOff => Math.Max(0, terms.AmountOff),
            CouponKind.FreeOrder => terms.AmountOff > 0 ? terms.AmountOff : amount,
            _ => 0,
        };
        return Math.Min(discount, amount);
    }
}
