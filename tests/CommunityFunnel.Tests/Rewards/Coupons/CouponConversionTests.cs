using System.Text;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Tests.Rewards.Coupons;

public sealed class CouponConversionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.FromHours(8));

    private static List<CommunityEvent> ReadAll(string text) =>
        new EventLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

    private static Coupon C(string code, string rule, DateTimeOffset? issued = null, params CouponUse[] uses) => new()
    {
        Code = code, GrantKey = "g-" + code, RuleId = rule, Member = "m", Terms = new RewardCoupon(), IssuedAt = issued ?? T0, Uses = uses,
    };

    private static CommunityEvent Order(string id, long amount, string? coupon, DateTimeOffset? at = null) =>
        new CommunityEvent(id, EventType.Order, "g", "m", at ?? T0.AddDays(1), amount: amount) { CouponCode = coupon };

    [Fact]
    public void AnOrdersCoupon_IsReadAndWritten_AndAbsentOtherwise()
    {
        var events = ReadAll(
            """{"id":"1","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":19900,"coupon":"CF23456789X"}""" + "\n"
            + """{"id":"2","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":100}""");
        Assert.Equal(["CF23456789X", null], events.Select(e => e.CouponCode));

        var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            events.ForEach(writer.Write);
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"amount\":19900,\"coupon\":\"CF23456789X\"}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("coupon", text.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(events, ReadAll(text));
        Assert.Equal("X", ReadAll("""{"id":"1","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":1,"\u0063oupon":"X"}""")[0].CouponCode);
        var error = Assert.Throws<EventLogException>(() => ReadAll("""{"id":"1","type":"order","group":"g","member":"m","at":"2026-11-01T00:00:00Z","amount":1,"coupon":7}"""));
        Assert.Equal(EventLogRule.WrongFieldType, error.Rule);
    }

    [Fact]
    public void FromEvents_GivesPerRule_IssuedRedeemedRateAndRevenue()
    {
        Coupon[] coupons = [C("A1", "draw-2nd-prize"), C("A2", "draw-2nd-prize"), C("A3", "draw-2nd-prize"), C("A4", "draw-2nd-prize"), C("B1", "streak-7-coupon"), C("late", "streak-7-coupon", T0.AddDays(30))];
        CommunityEvent[] events =
        [
            Order("o1", 19900, "A1"),
            Order("o2", 5000, "A1"),      // a coupon used twice counts once as redeemed, twice as orders
            Order("o2", 5000, "A1"),      // a duplicate event id counts once
            Order("o3", 30000, "A2"),
            Order("o4", 8000, "B1"),
            Order("o5", 1000, "NOPE"),    // a code no coupon has
            Order("o6", 1000, null),
            Order("o7", 9999, "A3", T0.AddDays(20)), // at asOf: left out
            new CommunityEvent("m1", EventType.Message, "g", "m", T0) { CouponCode = "A4" },
        ];
        var report = CouponConversion.FromEvents(coupons, events, T0.AddDays(20));
        Assert.Equal(
            [
                new CouponRuleConversion("draw-2nd-prize", 4, 2, 0.5, 3, 19900 + 5000 + 30000),
                new CouponRuleConversion("streak-7-coupon", 1, 1, 1.0, 1, 8000),
            ],
            report.Rules);
        Assert.Equal(1, report.UnknownCodeOrders);
    }

    [Fact]
    public void FromStore_CountsRedeemedUses_NotRolledBackOnes_AndTheAmountPaid()
    {
        Coupon[] coupons =
        [
            C("A1", "r", null, new CouponUse("o1", CouponUseState.Redeemed, T0.AddHours(1), null, 20000, 4000)),
            C("A2", "r", null, new CouponUse("o2", CouponUseState.RolledBack, T0.AddHours(1), null, 20000, 4000)),
            C("A3", "r", null, new CouponUse("o3", CouponUseState.Reserved, T0.AddHours(1), T0.AddHours(2), 0, 0)),
            C("A4", "r", null, new CouponUse("o4", CouponUseState.Redeemed, T0.AddDays(9), null, 100, 10)),
        ];
        var report = CouponConversion.FromStore(coupons, T0.AddDays(1));
        Assert.Equal([new CouponRuleConversion("r", 4, 1, 0.25, 1, 16000)], report.Rules);
        Assert.Empty(CouponConversion.FromStore(coupons, T0).Rules);
    }
}
