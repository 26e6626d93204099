using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static RewardLedgerEntry Grant(string key, string member, long cost, long budget, params RewardCounter[] extra) => new()
    {
        Key = key,
        RuleId = "r",
        Member = member,
        EventId = "e-" + key,
        At = T0,
        Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = cost }],
        Counters = [.. extra, new RewardCounter("budget|b", budget, cost, true)],
    };

    [StoreFact]
    public async Task Ledger_EveryField_RoundTrips_InAppendOrder()
    {
        var coupon = new RewardLedgerEntry
        {
            Key = "welcome|wx:42|2026-11-02",
            RuleId = "welcome",
            Member = "wx:42",
            At = new DateTimeOffset(2026, 11, 2, 17, 30, 0, TimeSpan.FromHours(8)).AddTicks(7),
            EventId = "evt-1",
            Rewards =
            [
                new RewardSpec { Kind = RewardKind.Coupon, Quantity = 2, Cost = 500, Coupon = new RewardCoupon { Kind = CouponKind.SpendGetGift, MinSpend = 9900, Gift = "杯子", ValidDays = 7 } },
                new RewardSpec { Kind = RewardKind.Tickets, Quantity = 3, Draw = "weekly-2026-11-02" },
            ],
            Counters = [new RewardCounter("limit|welcome|wx:42|ever", 1, 1, false), new RewardCounter("budget|coupons", 100_000, 1000, true)],
            ExpiresAt = new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.FromHours(8)),
        };
        var points = Grant("p|m|1", "m", 10, 1_000);
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(points, CancellationToken.None));
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(coupon, CancellationToken.None));

        var other = OtherHost().GetRequiredService<IRewardLedger>();
        var snapshot = await other.GetEntriesAsync(CancellationToken.None);
        Assert.Equal(2, snapshot.Count);
        Same.Equal(points, snapshot[0]);
        Same.Equal(coupon, snapshot[1]);
        Assert.Equal(coupon.At.Offset, snapshot[1].At.Offset);
        Assert.Equal(1000, await other.GetCounterAsync("budget|coupons", CancellationToken.None));
        Assert.Equal(1, await other.GetCounterAsync("limit|welcome|wx:42|ever", CancellationToken.None));
        Assert.Equal(10, await other.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Equal(0, await other.GetCounterAsync("never-used", CancellationToken.None));
    }

    [StoreFact]
    public async Task Ledger_SameKeyTwice_IsAlreadyGranted_AndConsumesNothing()
    {
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(Grant("k", "m", 2, 10), CancellationToken.None));
        Assert.Equal(RewardAppendResult.AlreadyGranted, await Ledger.TryAppendAsync(Grant("k", "other", 5, 10), CancellationToken.None));
        Assert.Equal(RewardAppendResult.AlreadyGranted, await OtherHost().GetRequiredService<IRewardLedger>().TryAppendAsync(Grant("k", "m", 2, 10), CancellationToken.None));
        Assert.Equal(2, await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Equal("m", Assert.Single(await Ledger.GetEntriesAsync(CancellationToken.None)).Member);
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.TryAppendAsync(Grant("x", "m", 1, 10) with { Kind = RewardEntryKind.Reversal, Reverses = "k" }, CancellationToken.None));
    }

    [StoreFact]
    public async Task Ledger_LimitIsReportedBeforeBudget_AndNothingChangesOnRefusal()
    {
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(Grant("a", "m", 5, 5, new RewardCounter("cap", 1, 1, false)), CancellationToken.None));
        Assert.Equal(RewardAppendResult.LimitReached, await Ledger.TryAppendAsync(Grant("b", "m", 5, 5, new RewardCounter("cap", 1, 1, false)), CancellationToken.None));
        Assert.Equal(RewardAppendResult.BudgetExhausted, await Ledger.TryAppendAsync(Grant("c", "m", 1, 5, new RewardCounter("cap2", 1, 1, false)), CancellationToken.None));
        Assert.Equal(RewardAppendResult.LimitReached, await Ledger.TryAppendAsync(Grant("d", "m", 1, 5, new RewardCounter("z-cap", 0, 1, false)), CancellationToken.None));
        Assert.Equal(5, await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Equal(1, await Ledger.GetCounterAsync("cap", CancellationToken.None));
        Assert.Equal(0, await Ledger.GetCounterAsync("cap2", CancellationToken.None));
        Assert.Equal(["a"], (await Ledger.GetEntriesAsync(CancellationToken.None)).Select(e => e.Key));

        // A refused key is not taken: it may be granted later.
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(Grant("c", "m", 0, 5, new RewardCounter("cap2", 1, 1, false)), CancellationToken.None));
    }

    [StoreFact]
    public async Task Ledger_Reverse_GivesBackTheCounters_Once()
    {
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(Grant("g", "m", 4, 4, new RewardCounter("cap", 1, 1, false)), CancellationToken.None));
        Assert.Equal(RewardAppendResult.BudgetExhausted, await Ledger.TryAppendAsync(Grant("h", "m", 1, 4), CancellationToken.None));
        Assert.Equal(RewardReverseResult.NotFound, await Ledger.TryReverseAsync("nope", T0.AddHours(1), "rej-0", CancellationToken.None));

        Assert.Equal(RewardReverseResult.Reversed, await Ledger.TryReverseAsync("g", T0.AddHours(1), "rej-1", CancellationToken.None));
        Assert.Equal(RewardReverseResult.AlreadyReversed, await OtherHost().GetRequiredService<IRewardLedger>().TryReverseAsync("g", T0.AddHours(2), "rej-2", CancellationToken.None));
        Assert.Equal(RewardReverseResult.NotFound, await Ledger.TryReverseAsync("g|reversed", T0.AddHours(2), "rej-3", CancellationToken.None));
        Assert.Equal(0, await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Equal(0, await Ledger.GetCounterAsync("cap", CancellationToken.None));

        var reversal = (await Ledger.GetEntriesAsync(CancellationToken.None))[^1];
        Assert.Equal(("g|reversed", RewardEntryKind.Reversal, "g", "rej-1", T0.AddHours(1)), (reversal.Key, reversal.Kind, reversal.Reverses, reversal.EventId, reversal.At));
        Assert.Equal(("r", "m"), (reversal.RuleId, reversal.Member));
        Assert.Equal(2, reversal.Counters.Count);
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(Grant("h", "m", 4, 4), CancellationToken.None));
        Assert.Equal(["g", "g|reversed", "h"], (await Ledger.GetEntriesAsync(CancellationToken.None)).Select(e => e.Key));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.TryReverseAsync("", T0, "e", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.TryReverseAsync("g", T0, "", CancellationToken.None));
    }

    [StoreFact]
    public async Task Ledger_TwoHostsHammeringOneBudget_NeverOverspend_AndNeverGrantTwice()
    {
        const int Budget = 120;
        IRewardLedger[] ledgers = [Ledger, OtherHost().GetRequiredService<IRewardLedger>()];
        var results = new int[4];
        var granted = new System.Collections.Concurrent.ConcurrentBag<string>();

        // 4 workers over two hosts, 300 attempts over 110 distinct keys (each key tried by several), costs 1..3.
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var k = i % 110;
            var result = await ledgers[i % 2].TryAppendAsync(Grant($"k{k}", $"m{k % 7}", 1 + (k % 3), Budget, new RewardCounter($"cap|m{k % 7}", 12, 1, false)), CancellationToken.None);
            Interlocked.Increment(ref results[(int)result]);
            if (result == RewardAppendResult.Granted)
            {
                granted.Add($"k{k}");
            }
        });

        var entries = await Ledger.GetEntriesAsync(CancellationToken.None);
        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
        Assert.Equal(entries.Count, results[(int)RewardAppendResult.Granted]);
        Assert.Equal(granted.Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(entries.Sum(e => e.Rewards[0].Quantity), await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.True(await Ledger.GetCounterAsync("budget|b", CancellationToken.None) <= Budget, "never overspent");
        foreach (var g in entries.GroupBy(e => e.Member))
        {
            Assert.Equal(g.Count(), await Ledger.GetCounterAsync($"cap|{g.Key}", CancellationToken.None));
        }

        Assert.All(entries.GroupBy(e => e.Member), g => Assert.True(g.Count() <= 12));
        Assert.True(results[(int)RewardAppendResult.AlreadyGranted] > 0);
        Assert.True(results[(int)RewardAppendResult.BudgetExhausted] + results[(int)RewardAppendResult.LimitReached] > 0);
    }

    [StoreFact]
    public async Task Ledger_RandomOperations_MatchTheInMemoryReference()
    {
        using var reference = Reference();
        var expected = reference.GetRequiredService<IRewardLedger>();
        var random = new Random(7);
        for (var i = 0; i < 250; i++)
        {
            var key = $"k{random.Next(60)}";
            if (random.Next(5) == 0)
            {
                var at = T0.AddMinutes(i);
                Assert.Equal(await expected.TryReverseAsync(key, at, $"e{i}", CancellationToken.None), await Ledger.TryReverseAsync(key, at, $"e{i}", CancellationToken.None));
                continue;
            }

            var member = $"m{random.Next(6)}";
            var grant = Grant(key, member, random.Next(0, 4), 150, new RewardCounter($"cap|{member}", random.Next(3, 8), 1, false)) with { At = T0.AddMinutes(i) };
            if (random.Next(4) == 0)
            {
                grant = grant with { Counters = [.. grant.Counters, new RewardCounter("rule|r", 40, 1, false)] };
            }

            Assert.Equal(await expected.TryAppendAsync(grant, CancellationToken.None), await Ledger.TryAppendAsync(grant, CancellationToken.None));
        }

        Same.Equal(await expected.GetEntriesAsync(CancellationToken.None), await Ledger.GetEntriesAsync(CancellationToken.None));
        foreach (var key in new[] { "budget|b", "rule|r" }.Concat(Enumerable.Range(0, 6).Select(m => $"cap|m{m}")))
        {
            Assert.Equal(await expected.GetCounterAsync(key, CancellationToken.None), await Ledger.GetCounterAsync(key, CancellationToken.None));
        }
    }
}
