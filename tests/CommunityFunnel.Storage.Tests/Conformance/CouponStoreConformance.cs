using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The contract of <see cref="ICouponStore"/>: unique codes, one coupon per grant, uses and their limits, the audit trail.</summary>
public abstract partial class StoreConformanceTests
{
    private static readonly CouponCharge NoCharge = new(0, 0);

    protected ICouponStore Coupons => Host.GetRequiredService<ICouponStore>();

    private static Coupon NewCoupon(string code, string grant, int limit = 1, DateTimeOffset? expires = null) => new()
    {
        Code = code,
        GrantKey = grant,
        RuleId = "streak-7-coupon",
        Member = "wx:42",
        Terms = new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20, MinSpend = 1000, ValidDays = 14 },
        IssuedAt = new DateTimeOffset(2026, 11, 2, 17, 30, 0, TimeSpan.FromHours(8)),
        ExpiresAt = expires,
        UsageLimit = limit,
    };

    [StoreFact]
    public async Task Coupons_Issue_OncePerGrant_CodesUnique_EveryFieldRoundTrips()
    {
        var ct = CancellationToken.None;
        var coupon = NewCoupon("CFAAAA", "g1", 2, new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.FromHours(8)));
        var issued = await Coupons.TryIssueAsync(coupon, ct);
        Assert.Equal(CouponIssueOutcome.Issued, issued.Outcome);

        var other = OtherHost().GetRequiredService<ICouponStore>();
        var again = await other.TryIssueAsync(coupon with { Code = "CFBBBB" }, ct);
        Assert.Equal(CouponIssueOutcome.AlreadyIssued, again.Outcome);
        Assert.Equal("CFAAAA", again.Coupon!.Code);
        var taken = await other.TryIssueAsync(NewCoupon("CFAAAA", "g2"), ct);
        Assert.Equal(new CouponIssueResult(CouponIssueOutcome.CodeTaken, null), taken);
        Assert.Null(await other.FindByGrantAsync("g2", ct));
        Assert.Null(await other.FindAsync("CFBBBB", ct));

        var found = (await other.FindAsync("CFAAAA", ct))!;
        Same.Equal(coupon, found);
        Assert.Equal(TimeSpan.FromHours(8), found.IssuedAt.Offset);
        Assert.Equal(TimeSpan.FromHours(8), found.ExpiresAt!.Value.Offset);
        Same.Equal(coupon, (await other.FindByGrantAsync("g1", ct))!);
        Assert.Equal([new CouponAuditEntry("CFAAAA", CouponAuditAction.Issued, null, coupon.IssuedAt, 0)], await other.GetAuditTrailAsync("CFAAAA", ct));
        Assert.Empty(await other.GetAuditTrailAsync("nope", ct));
    }

    [StoreFact]
    public async Task Coupons_ReserveRedeemRollback_FollowTheRules_AndEveryStepIsAudited()
    {
        var ct = CancellationToken.None;
        await Coupons.TryIssueAsync(NewCoupon("C1", "g1", limit: 1, expires: T0.AddDays(1)), ct);
        var other = OtherHost().GetRequiredService<ICouponStore>();

        Assert.Equal(CouponStepOutcome.NotFound, await Coupons.ReserveAsync("nope", "o1", T0, T0.AddMinutes(15), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.ReserveAsync("C1", "o1", T0, T0.AddMinutes(15), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.UsedUp, await other.ReserveAsync("C1", "o2", T0.AddMinutes(1), T0.AddMinutes(16), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.UsedUp, await other.RedeemAsync("C1", "o2", T0.AddMinutes(1), new(5000, 1000), ct));
        Assert.Equal(CouponStepOutcome.AlreadyDone, await other.ReserveAsync("C1", "o1", T0.AddMinutes(2), T0.AddMinutes(20), NoCharge, ct)); // renewed

        // o1's reservation lapses at +20 min: o2 may have the use.
        Assert.Equal(CouponStepOutcome.UsedUp, await other.ReserveAsync("C1", "o2", T0.AddMinutes(19), T0.AddMinutes(30), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.Done, await other.ReserveAsync("C1", "o2", T0.AddMinutes(20), T0.AddMinutes(35), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.UsedUp, await Coupons.RedeemAsync("C1", "o1", T0.AddMinutes(21), new(5000, 1000), ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.RedeemAsync("C1", "o2", T0.AddMinutes(22), new(5000, 1000), ct));
        Assert.Equal(CouponStepOutcome.AlreadyDone, await other.RedeemAsync("C1", "o2", T0.AddMinutes(23), new(9999, 9), ct));
        Assert.Equal(CouponStepOutcome.AlreadyDone, await other.ReserveAsync("C1", "o2", T0.AddMinutes(23), T0.AddMinutes(40), NoCharge, ct));

        // A refund gives the use back; the refunded order never uses the coupon again; another order may.
        Assert.Equal(CouponStepOutcome.NotUsedByOrder, await Coupons.RollbackAsync("C1", "o9", T0.AddHours(1), ct));
        Assert.Equal(CouponStepOutcome.NotFound, await Coupons.RollbackAsync("nope", "o2", T0.AddHours(1), ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.RollbackAsync("C1", "o2", T0.AddHours(1), ct));
        Assert.Equal(CouponStepOutcome.AlreadyDone, await other.RollbackAsync("C1", "o2", T0.AddHours(2), ct));
        Assert.Equal(CouponStepOutcome.RolledBack, await other.RedeemAsync("C1", "o2", T0.AddHours(2), new(5000, 1000), ct));
        Assert.Equal(CouponStepOutcome.RolledBack, await other.ReserveAsync("C1", "o2", T0.AddHours(2), T0.AddHours(3), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.Done, await other.RedeemAsync("C1", "o3", T0.AddHours(3), new(2000, 400), ct));

        // Expired: no new use, but a reservation made before the expiry may still be redeemed.
        await Coupons.TryIssueAsync(NewCoupon("C2", "g2", limit: 3, expires: T0.AddHours(1)), ct);
        Assert.Equal(CouponStepOutcome.Done, await Coupons.ReserveAsync("C2", "a", T0.AddMinutes(55), T0.AddMinutes(70), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.Expired, await Coupons.ReserveAsync("C2", "b", T0.AddHours(1), T0.AddHours(2), NoCharge, ct));
        Assert.Equal(CouponStepOutcome.Expired, await Coupons.RedeemAsync("C2", "b", T0.AddHours(1), new(100, 20), ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.RedeemAsync("C2", "a", T0.AddMinutes(65), new(100, 20), ct));

        var c1 = (await other.FindAsync("C1", ct))!;
        Assert.Equal(
            [
                new CouponUse("o1", CouponUseState.Reserved, T0.AddMinutes(2), T0.AddMinutes(20), 0, 0),
                new CouponUse("o2", CouponUseState.RolledBack, T0.AddHours(1), null, 5000, 1000),
                new CouponUse("o3", CouponUseState.Redeemed, T0.AddHours(3), null, 2000, 400),
            ],
            c1.Uses);
        Assert.Equal(
            [
                (CouponAuditAction.Issued, (string?)null, 0L),
                (CouponAuditAction.Reserved, "o1", 0L),
                (CouponAuditAction.Reserved, "o1", 0L),
                (CouponAuditAction.Reserved, "o2", 0L),
                (CouponAuditAction.Redeemed, "o2", 1000L),
                (CouponAuditAction.RolledBack, "o2", 0L),
                (CouponAuditAction.Redeemed, "o3", 400L),
            ],
            (await other.GetAuditTrailAsync("C1", ct)).Select(a => (a.Action, a.OrderId, a.Amount)));
        Assert.Equal(["C1", "C2"], (await other.ListAsync(ct)).Select(c => c.Code));
        Same.Equal(c1, (await other.ListAsync(ct))[0]);
        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.ReserveAsync("C1", "o4", T0, T0, NoCharge, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.RedeemAsync("C1", "", T0, new(1, 1), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.TryIssueAsync(NewCoupon("C3", "g3", limit: 0), ct));
    }

    [StoreFact]
    public async Task Coupons_TwoCheckoutsRacingForOneSingleUseCode_ExactlyOneWins()
    {
        var ct = CancellationToken.None;
        ICouponStore[] stores = [Coupons, OtherHost().GetRequiredService<ICouponStore>()];
        for (var round = 0; round < 20; round++)
        {
            var code = $"R{round}";
            await Coupons.TryIssueAsync(NewCoupon(code, $"g{round}"), ct);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                start.SignalAndWait(ct);
                return round % 2 == 0
                    ? await stores[i].RedeemAsync(code, $"order-{i}", T0, new(5000, 1000), ct)
                    : await stores[i].ReserveAsync(code, $"order-{i}", T0, T0.AddMinutes(15), NoCharge, ct);
            })));
            Assert.Equal(1, results.Count(r => r == CouponStepOutcome.Done));
            Assert.Equal(1, results.Count(r => r == CouponStepOutcome.UsedUp));
            Assert.Single((await Coupons.FindAsync(code, ct))!.Uses);
        }
    }

    [StoreFact]
    public async Task Coupons_ManyCheckoutsOnOneCode_NeverPassItsUsageLimit_AndTwoHostsIssuingNeverShareACode()
    {
        var ct = CancellationToken.None;
        ICouponStore[] stores = [Coupons, OtherHost().GetRequiredService<ICouponStore>()];
        await Coupons.TryIssueAsync(NewCoupon("MANY", "g-many", limit: 5), ct);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<CouponStepOutcome>();
        await Parallel.ForAsync(0, 24, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            outcomes.Add(await stores[i % 2].RedeemAsync("MANY", $"o{i % 12}", T0.AddSeconds(i), new(100, 10), ct)));
        var coupon = (await Coupons.FindAsync("MANY", ct))!;
        Assert.Equal(5, coupon.Uses.Count(u => u.State == CouponUseState.Redeemed));
        Assert.Equal(5, outcomes.Count(o => o == CouponStepOutcome.Done));
        Assert.Equal(5, (await Coupons.GetAuditTrailAsync("MANY", ct)).Count(a => a.Action == CouponAuditAction.Redeemed));

        // 40 grants, codes drawn from 12: each code once, each grant at most once.
        var issued = new System.Collections.Concurrent.ConcurrentBag<CouponIssueResult>();
        await Parallel.ForAsync(0, 80, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            issued.Add(await stores[i % 2].TryIssueAsync(NewCoupon($"K{i * 7 % 12}", $"grant-{i % 40}"), ct)));
        var all = (await Coupons.ListAsync(ct)).Where(c => c.Code.StartsWith('K')).ToList();
        Assert.Equal(all.Count, issued.Count(r => r.Outcome == CouponIssueOutcome.Issued));
        Assert.Equal(all.Count, all.Select(c => c.GrantKey).Distinct().Count());
        Assert.True(all.Count <= 12);
    }

    [StoreFact]
    public async Task Coupons_EveryCall_WithACancelledToken_Throws_AndWritesNothing()
    {
        await Coupons.TryIssueAsync(NewCoupon("X1", "gx"), CancellationToken.None);
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        var cancelled = source.Token;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.TryIssueAsync(NewCoupon("X2", "gy"), cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.FindAsync("X1", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.FindByGrantAsync("gx", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.ListAsync(cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.ReserveAsync("X1", "o", T0, T0.AddMinutes(1), NoCharge, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.RedeemAsync("X1", "o", T0, new(1, 1), cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.RollbackAsync("X1", "o", T0, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.GetAuditTrailAsync("X1", cancelled));
        Assert.Null(await Coupons.FindAsync("X2", CancellationToken.None));
        Assert.Empty((await Coupons.FindAsync("X1", CancellationToken.None))!.Uses);
        Assert.Single(await Coupons.GetAuditTrailAsync("X1", CancellationToken.None));
    }

    [StoreFact]
    public async Task Coupons_OnAMoneyBudget_UsesHoldTheirDiscounts_NeverPassTheLimit_AndARollbackGivesThemBack()
    {
        var ct = CancellationToken.None;
        foreach (var code in new[] { "B1", "B2", "B3", "B4" })
        {
            await Coupons.TryIssueAsync(NewCoupon(code, "g-" + code) with { BudgetId = "money", UsageLimit = 2 }, ct);
        }

        var other = OtherHost().GetRequiredService<ICouponStore>();
        Assert.Equal("money", (await other.FindAsync("B1", ct))!.BudgetId);
        CouponCharge Charge(long discount) => new(10_000, discount, BudgetLimit: 1000);
        Assert.Equal(CouponStepOutcome.Done, await Coupons.ReserveAsync("B1", "o1", T0, T0.AddMinutes(15), Charge(600), ct));
        Assert.Equal(CouponStepOutcome.BudgetExhausted, await other.RedeemAsync("B2", "o2", T0.AddMinutes(1), Charge(500), ct));
        Assert.Equal(CouponStepOutcome.Done, await other.RedeemAsync("B2", "o2", T0.AddMinutes(1), Charge(400), ct)); // exactly the limit
        Assert.Equal(1000, await other.GetBudgetUsedAsync("money", T0.AddMinutes(2), ct));
        Assert.Equal(CouponStepOutcome.BudgetExhausted, await other.ReserveAsync("B4", "o4", T0.AddMinutes(2), T0.AddMinutes(10), Charge(1), ct));
        Assert.Equal(CouponStepOutcome.Done, await other.ReserveAsync("B4", "o4", T0.AddMinutes(2), T0.AddMinutes(10), Charge(0), ct)); // a gift costs nothing

        // o1's reservation lapses at +15 min and holds nothing from then on.
        Assert.Equal(400, await Coupons.GetBudgetUsedAsync("money", T0.AddMinutes(15), ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.RedeemAsync("B3", "o3", T0.AddMinutes(16), Charge(600), ct));
        Assert.Equal(CouponStepOutcome.BudgetExhausted, await Coupons.RedeemAsync("B1", "o1", T0.AddMinutes(17), Charge(600), ct));

        // A refund gives the discount back to the budget.
        Assert.Equal(CouponStepOutcome.Done, await other.RollbackAsync("B2", "o2", T0.AddMinutes(18), ct));
        Assert.Equal(600, await other.GetBudgetUsedAsync("money", T0.AddMinutes(18), ct));
        Assert.Equal(CouponStepOutcome.Done, await Coupons.RedeemAsync("B1", "o1", T0.AddMinutes(19), Charge(400), ct));
        Assert.Equal(1000, await Coupons.GetBudgetUsedAsync("money", T0.AddMinutes(19), ct));
        Assert.Equal(CouponStepOutcome.AlreadyDone, await Coupons.RedeemAsync("B1", "o1", T0.AddMinutes(20), Charge(400), ct)); // idempotent, charged once

        // A live reservation redeemed with a larger discount is checked again; with the same one it fits.
        Assert.Equal(CouponStepOutcome.Done, await other.RollbackAsync("B3", "o3", T0.AddMinutes(21), ct));
        Assert.Equal(CouponStepOutcome.Done, await other.ReserveAsync("B3", "o5", T0.AddMinutes(21), T0.AddMinutes(40), Charge(600), ct));
        Assert.Equal(CouponStepOutcome.BudgetExhausted, await other.RedeemAsync("B3", "o5", T0.AddMinutes(22), Charge(601), ct));
        Assert.Equal(CouponStepOutcome.Done, await other.RedeemAsync("B3", "o5", T0.AddMinutes(22), Charge(600), ct));
        Assert.Equal(1000, await other.GetBudgetUsedAsync("money", T0.AddMinutes(50), ct));
        Assert.Equal(0, await other.GetBudgetUsedAsync("nobody-names-it", T0, ct));

        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.RedeemAsync("B4", "o6", T0.AddMinutes(30), new(10_000, 1), ct)); // no limit given
        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.RedeemAsync("B4", "o6", T0.AddMinutes(30), new(100, 101, 1000), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Coupons.TryIssueAsync(NewCoupon("B9", "g-b9") with { BudgetId = "" }, ct));
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Coupons.GetBudgetUsedAsync("money", T0, source.Token));
    }

    [StoreFact]
    public async Task Coupons_TwoCheckoutsOnTwoCodes_RacingForTheLastOfAMoneyBudget_ExactlyOneWins()
    {
        var ct = CancellationToken.None;
        ICouponStore[] stores = [Coupons, OtherHost().GetRequiredService<ICouponStore>()];
        for (var round = 0; round < 20; round++)
        {
            var budget = $"budget-{round}";
            await Coupons.TryIssueAsync(NewCoupon($"M{round}a", $"gma{round}") with { BudgetId = budget }, ct);
            await Coupons.TryIssueAsync(NewCoupon($"M{round}b", $"gmb{round}") with { BudgetId = budget }, ct);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                start.SignalAndWait(ct);
                var code = $"M{round}" + (i == 0 ? "a" : "b");
                var charge = new CouponCharge(5000, 600, BudgetLimit: 1000);
                return round % 2 == 0
                    ? await stores[i].RedeemAsync(code, $"order-{i}", T0, charge, ct)
                    : await stores[i].ReserveAsync(code, $"order-{i}", T0, T0.AddMinutes(15), charge, ct);
            })));
            Assert.Equal(1, results.Count(r => r == CouponStepOutcome.Done));
            Assert.Equal(1, results.Count(r => r == CouponStepOutcome.BudgetExhausted));
            Assert.Equal(600, await Coupons.GetBudgetUsedAsync(budget, T0, ct));
        }
    }
}
