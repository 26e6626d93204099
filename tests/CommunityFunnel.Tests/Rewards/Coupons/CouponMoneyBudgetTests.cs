using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Rewards.Coupons;

/// <summary>
/// A money budget charged at redemption (docs/rewards.md, "Budgets charged at redemption"): grants consume nothing,
/// each use of a coupon holds its discount, a use that would pass the limit is refused, a rollback gives it back.
/// </summary>
public sealed class CouponMoneyBudgetTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 9, 20, 0, 0, TimeSpan.FromHours(8));

    private const string Rules = """
        {
          "timeZone": "Asia/Shanghai",
          "budgets": [{ "id": "discounts", "limit": 3000, "currency": "CNY", "chargedAt": "redemption" }],
          "rules": [{
            "id": "daily-coupon",
            "trigger": { "kind": "count", "event": "checkin", "task": "daily", "count": 1, "period": "day" },
            "rewards": [{ "kind": "coupon", "coupon": { "kind": "amountOff", "amountOff": 2000, "validDays": 30 } }],
            "budget": "discounts"
          }]
        }
        """;

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly ServiceProvider _provider;

    public CouponMoneyBudgetTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddCommunityFunnel().UseInMemoryStores().AddRewardRules(o => o.Add(RewardRuleSet.Parse(Rules)));
        _provider = services.BuildServiceProvider();
    }

    private ICouponService Service => _provider.GetRequiredService<ICouponService>();

    public void Dispose() => _provider.Dispose();

    private static RewardLedgerEntry Grant(string key, string rule = "daily-coupon") => new()
    {
        Key = key,
        RuleId = rule,
        Member = "wx:42",
        EventId = "e-" + key,
        At = T0,
        Rewards = [new RewardSpec { Kind = RewardKind.Coupon, Coupon = new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000 } }],
        Counters = [],
    };

    [Fact]
    public void TheBudget_IsReadAndWritten_WithItsChargeTime_AndGrantsConsumeNothingOfIt()
    {
        var set = RewardRuleSet.Parse(Rules);
        Assert.Equal(RewardBudgetCharge.Redemption, set.Budgets[0].ChargedAt);
        Assert.Contains("\"chargedAt\": \"redemption\"", set.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("chargedAt", (set with { Budgets = [set.Budgets[0] with { ChargedAt = RewardBudgetCharge.Grant }] }).ToJson(), StringComparison.Ordinal);

        // Ten days of check-ins: ten coupons of 20.00 each, though the budget pays for one and a half.
        var events = new List<CommunityEvent> { new("j", EventType.Joined, "g", "wx:42", T0.AddDays(-1)) };
        events.AddRange(Enumerable.Range(0, 10).Select(d => new CommunityEvent($"c{d}", EventType.Checkin, "g", "wx:42", T0.AddDays(d), task: "daily")));
        var replay = RewardReplay.Run(events, set, T0.AddDays(11));
        Assert.Equal(10, replay.Ledger.Count(e => e.Kind == RewardEntryKind.Grant));
        Assert.All(replay.Ledger, e => Assert.DoesNotContain(e.Counters, c => c.Key.StartsWith("budget|", StringComparison.Ordinal)));
        Assert.Equal(new RewardBudgetUse("discounts", 3000, 0, "CNY"), Assert.Single(replay.Budgets));
    }

    [Fact]
    public void ABudgetChargedAtRedemption_IsMoney_AndPaysForCouponsOnly_EveryProblemNamed()
    {
        var bad = RewardRuleSet.Parse(Rules) with
        {
            Budgets = [new RewardBudget { Id = "discounts", Limit = 3000, ChargedAt = RewardBudgetCharge.Redemption }, new RewardBudget { Id = "x", ChargedAt = (RewardBudgetCharge)7 }],
        };
        var rule = bad.Rules[0];
        bad = bad with
        {
            Rules = [rule with { Rewards = [rule.Rewards[0] with { Cost = 2000 }, new RewardSpec { Kind = RewardKind.Points, Quantity = 5 }] }],
        };
        var error = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains("budgets[discounts].chargedAt: a budget charged at redemption is money: give its currency", error.Message, StringComparison.Ordinal);
        Assert.Contains("budgets[x].chargedAt: must be grant or redemption, it is 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules[daily-coupon].rewards[0].cost: budget 'discounts' is charged the discount at redemption; leave cost out", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules[daily-coupon].rewards[1]: budget 'discounts' is charged at redemption, so the rule may give coupons only, not points", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsesHoldTheirDiscounts_AUseThatWouldPassTheLimitIsRefused_AndARefundGivesTheMoneyBack()
    {
        var c1 = await Service.IssueAsync(Grant("g1"));
        var c2 = await Service.IssueAsync(Grant("g2"));
        var c3 = await Service.IssueAsync(Grant("g3"));
        Assert.Equal("discounts", c1.BudgetId);

        Assert.True((await Service.RedeemAsync(c1.Code, new CouponOrder("o1", 25000))).Applies);
        Assert.Equal(new RewardBudgetUse("discounts", 3000, 2000, "CNY"), await Service.GetBudgetUseAsync("discounts"));
        Assert.Equal(CouponRejection.BudgetExhausted, (await Service.ValidateAsync(c2.Code, new CouponOrder("o2", 25000))).Rejection);
        var refused = await Service.ReserveAsync(c2.Code, new CouponOrder("o2", 25000));
        Assert.Equal((CouponRejection.BudgetExhausted, 0L, 25000L), (refused.Rejection, refused.Discount, refused.AmountToPay));
        Assert.True((await Service.ValidateAsync(c2.Code, new CouponOrder("o2", 1000))).Applies); // 10.00 off a 10.00 order fits

        // The refund of o1 gives its 20.00 back: o2 reserves it, so o3 has to wait for o2's reservation to lapse.
        Assert.True((await Service.RollbackAsync(c1.Code, "o1")).Applies);
        Assert.Equal(0, (await Service.GetBudgetUseAsync("discounts")).Used);
        Assert.True((await Service.ReserveAsync(c2.Code, new CouponOrder("o2", 25000), TimeSpan.FromMinutes(15))).Applies);
        Assert.True((await Service.ValidateAsync(c2.Code, new CouponOrder("o2", 25000))).Applies); // its own reservation is not counted twice
        Assert.Equal(CouponRejection.BudgetExhausted, (await Service.RedeemAsync(c3.Code, new CouponOrder("o3", 25000))).Rejection);
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(0, (await Service.GetBudgetUseAsync("discounts")).Used);
        Assert.True((await Service.RedeemAsync(c3.Code, new CouponOrder("o3", 25000))).Applies);
        var again = await Service.RedeemAsync(c3.Code, new CouponOrder("o3", 25000));
        Assert.True(again.AlreadyDone);
        Assert.Equal(new RewardBudgetUse("discounts", 3000, 2000, "CNY") { }, await Service.GetBudgetUseAsync("discounts"));
        Assert.Equal(1000, (await Service.GetBudgetUseAsync("discounts")).Remaining);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => Service.GetBudgetUseAsync("nope"));
        Assert.Contains("'nope' is not a budget charged at redemption", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACouponOfAnotherRule_OrOfABudgetChargedAtTheGrant_SpendsNoMoneyBudget()
    {
        var other = await Service.IssueAsync(Grant("g1", rule: "some-draw-prize"));
        Assert.Null(other.BudgetId);
        Assert.True((await Service.RedeemAsync(other.Code, new CouponOrder("o1", 25000))).Applies);

        var atGrant = RewardRuleSet.Parse(Rules.Replace("\"chargedAt\": \"redemption\"", "\"chargedAt\": \"grant\"", StringComparison.Ordinal));
        var service = new CouponService(new InMemoryCouponStore(), new CouponsOptions(), _clock, rules: atGrant);
        Assert.Null((await service.IssueAsync(Grant("g2"))).BudgetId);
    }

    [Fact]
    public async Task ACouponWhoseBudgetLeftTheRules_IsRefusedLoudly_NamingTheBudget()
    {
        var store = new InMemoryCouponStore();
        var before = new CouponService(store, new CouponsOptions(), _clock, rules: RewardRuleSet.Parse(Rules));
        var coupon = await before.IssueAsync(Grant("g1"));
        var after = new CouponService(store, new CouponsOptions(), _clock, rules: new RewardRuleSet());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => after.RedeemAsync(coupon.Code, new CouponOrder("o1", 25000)));
        Assert.Contains($"coupon '{coupon.Code}' spends budget 'discounts'", error.Message, StringComparison.Ordinal);
        Assert.Empty((await store.FindAsync(coupon.Code, default))!.Uses);
    }
}
