using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>What the coupons of one rule (or draw prize) led to.</summary>
/// <param name="RuleId">The rule the coupons' grants came from.</param>
/// <param name="Issued">Coupons issued before <c>asOf</c>.</param>
/// <param name="Redeemed">Of those, how many at least one order redeemed.</param>
/// <param name="RedemptionRate"><paramref name="Redeemed"/> / <paramref name="Issued"/> (0 when none were issued).</param>
/// <param name="Orders">Orders that redeemed one of the rule's coupons.</param>
/// <param name="Revenue">The sum of those orders' amounts, in minor units.</param>
public sealed record CouponRuleConversion(string RuleId, int Issued, int Redeemed, double RedemptionRate, long Orders, long Revenue);

/// <summary>Coupon conversion per rule: lottery or task → coupon → order.</summary>
/// <param name="Rules">One row per rule with issued coupons or redeeming orders, in rule id order (ordinal).</param>
/// <param name="UnknownCodeOrders">Orders that carry a code no coupon in the store has (mistyped upstream, or another shop's).</param>
public sealed record CouponConversionReport(IReadOnlyList<CouponRuleConversion> Rules, long UnknownCodeOrders);

/// <summary>Computes <see cref="CouponConversionReport"/>s.</summary>
public static class CouponConversion
{
    /// <summary>
    /// Conversion from the event log: each <c>order</c> event before <paramref name="asOf"/> whose
    /// <see cref="CommunityEvent.CouponCode"/> is the (normalised) code of one of <paramref name="coupons"/> counts
    /// for that coupon's rule: its order, its amount as revenue, and the coupon as redeemed. Duplicate event ids
    /// count once (the first).
    /// </summary>
    /// <param name="coupons">The store's coupons (<see cref="ICouponStore.ListAsync"/>).</param>
    /// <param name="events">The events.</param>
    /// <param name="asOf">Events and coupons at or after this instant are left out.</param>
    /// <returns>The report.</returns>
    public static CouponConversionReport FromEvents(IEnumerable<Coupon> coupons, IEnumerable<CommunityEvent> events, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(coupons);
        ArgumentNullException.ThrowIfNull(events);
        var byCode = coupons.Where(c => c.IssuedAt < asOf).ToDictionary(c => c.Code, StringComparer.Ordinal);
        var redeemed = new HashSet<string>(StringComparer.Ordinal);
        var orders = new Dictionary<string, (long Orders, long Revenue)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long unknown = 0;
        foreach (var e in events)
        {
            if (e.Type != EventType.Order || e.CouponCode is null || e.At >= asOf || !seen.Add(e.Id))
            {
                continue;
            }

            if (!byCode.TryGetValue(e.CouponCode, out var coupon))
            {
                unknown++;
                continue;
            }

            redeemed.Add(coupon.Code);
            var (n, revenue) = orders.GetValueOrDefault(coupon.RuleId);
            orders[coupon.RuleId] = (n + 1, revenue + (e.Amount ?? 0));
        }

        return Build(byCode.Values, redeemed, orders, unknown);
    }

    /// <summary>
    /// Conversion from the store alone: a coupon is redeemed when one of its uses is (rolled-back uses left out),
    /// and the revenue of a use is what the order paid (its amount minus the discount). Uses from
    /// <paramref name="asOf"/> on are left out.
    /// </summary>
    /// <param name="coupons">The store's coupons (<see cref="ICouponStore.ListAsync"/>).</param>
    /// <param name="asOf">Coupons and uses at or after this instant are left out.</param>
    /// <returns>The report.</returns>
    public static CouponConversionReport FromStore(IEnumerable<Coupon> coupons, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(coupons);
        var issued = coupons.Where(c => c.IssuedAt < asOf).ToList();
        var redeemed = new HashSet<string>(StringComparer.Ordinal);
        var orders = new Dictionary<string, (long Orders, long Revenue)>(StringComparer.Ordinal);
        foreach (var coupon in issued)
        {
            foreach (var use in coupon.Uses)
            {
                if (use.State != CouponUseState.Redeemed || use.At >= asOf)
                {
                    continue;
                }

                redeemed.Add(coupon.Code);
                var (n, revenue) = orders.GetValueOrDefault(coupon.RuleId);
                orders[coupon.RuleId] = (n + 1, revenue + (use.OrderAmount - use.Discount));
            }
        }

        return Build(issued, redeemed, orders, 0);
    }

    private static CouponConversionReport Build(IEnumerable<Coupon> issued, HashSet<string> redeemed, Dictionary<string, (long Orders, long Revenue)> orders, long unknown)
    {
        var rows = issued
            .GroupBy(c => c.RuleId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var count = g.Count();
                var used = g.Count(c => redeemed.Contains(c.Code));
                var (n, revenue) = orders.GetValueOrDefault(g.Key);
                return new CouponRuleConversion(g.Key, count, used, count == 0 ? 0 : (double)used / count, n, revenue);
            })
            .ToList();
        return new CouponConversionReport(rows, unknown);
    }
}
