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
    public void Ledger_EveryField_RoundTrips_InAppendOrder()
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
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(points));
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(coupon));

        var other = OtherHost().GetRequiredService<IRewardLedger>();
        var snapshot = other.Snapshot();
        Assert.Equal(2, snapshot.Count);
        Same.Equal(points, snapshot[0]);
        Same.Equal(coupon, snapshot[1]);
        Assert.Equal(coupon.At.Offset, snapshot[1].At.Offset);
        Assert.Equal(1000, other.GetCounter("budget|coupons"));
        Assert.Equal(1, other.GetCounter("limit|welcome|wx:42|ever"));
        Assert.Equal(10, other.GetCounter("budget|b"));
        Assert.Equal(0, other.GetCounter("never-used"));
    }

    [StoreFact]
    public void Ledger_SameKeyTwice_IsAlreadyGranted_AndConsumesNothing()
    {
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(Grant("k", "m", 2, 10)));
        Assert.Equal(RewardAppendResult.AlreadyGranted, Ledger.TryAppend(Grant("k", "other", 5, 10)));
        Assert.Equal(RewardAppendResult.AlreadyGranted, OtherHost().GetRequiredService<IRewardLedger>().TryAppend(Grant("k", "m", 2, 10)));
        Assert.Equal(2, Ledger.GetCounter("budget|b"));
        Assert.Equal("m", Assert.Single(Ledger.Snapshot()).Member);
        Assert.Throws<ArgumentException>(() => Ledger.TryAppend(Grant("x", "m", 1, 10) with { Kind = RewardEntryKind.Reversal, Reverses = "k" }));
    }

    [StoreFact]
    public void Ledger_LimitIsReportedBeforeBudget_AndNothingChangesOnRefusal()
    {
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(Grant("a", "m", 5, 5, new RewardCounter("cap", 1, 1, false))));
        Assert.Equal(RewardAppendResult.LimitReached, Ledger.TryAppend(Grant("b", "m", 5, 5, new RewardCounter("cap", 1, 1, false))));
        Assert.Equal(RewardAppendResult.BudgetExhausted, Ledger.TryAppend(Grant("c", "m", 1, 5, new RewardCounter("cap2", 1, 1, false))));
        Assert.Equal(RewardAppendResult.LimitReached, Ledger.TryAppend(Grant("d", "m", 1, 5, new RewardCounter("z-cap", 0, 1, false))));
        Assert.Equal(5, Ledger.GetCounter("budget|b"));
        Assert.Equal(1, Ledger.GetCounter("cap"));
        Assert.Equal(0, Ledger.GetCounter("cap2"));
        Assert.Equal(["a"], Ledger.Snapshot().Select(e => e.Key));

        // A refused key is not taken: it may be granted later.
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(Grant("c", "m", 0, 5, new RewardCounter("cap2", 1, 1, false))));
    }

    [StoreFact]
    public void Ledger_Reverse_GivesBackTheCounters_Once()
    {
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(Grant("g", "m", 4, 4, new RewardCounter("cap", 1, 1, false))));
        Assert.Equal(RewardAppendResult.BudgetExhausted, Ledger.TryAppend(Grant("h", "m", 1, 4)));
        Assert.Equal(RewardReverseResult.NotFound, Ledger.TryReverse("nope", T0.AddHours(1), "rej-0"));

        Assert.Equal(RewardReverseResult.Reversed, Ledger.TryReverse("g", T0.AddHours(1), "rej-1"));
        Assert.Equal(RewardReverseResult.AlreadyReversed, OtherHost().GetRequiredService<IRewardLedger>().TryReverse("g", T0.AddHours(2), "rej-2"));
        Assert.Equal(RewardReverseResult.NotFound, Ledger.TryReverse("g|reversed", T0.AddHours(2), "rej-3"));
        Assert.Equal(0, Ledger.GetCounter("budget|b"));
        Assert.Equal(0, Ledger.GetCounter("cap"));

        var reversal = Ledger.Snapshot()[^1];
        Assert.Equal(("g|reversed", RewardEntryKind.Reversal, "g", "rej-1", T0.AddHours(1)), (reversal.Key, reversal.Kind, reversal.Reverses, reversal.EventId, reversal.At));
        Assert.Equal(("r", "m"), (reversal.RuleId, reversal.Member));
        Assert.Equal(2, reversal.Counters.Count);
        Assert.Equal(RewardAppendResult.Granted, Ledger.TryAppend(Grant("h", "m", 4, 4)));
        Assert.Equal(["g", "g|reversed", "h"], Ledger.Snapshot().Select(e => e.Key));
        Assert.Throws<ArgumentException>(() => Ledger.TryReverse("", T0, "e"));
        Assert.Throws<ArgumentException>(() => Ledger.TryReverse("g", T0, ""));
    }

    [StoreFact]
    public void Ledger_TwoHostsHammeringOneBudget_NeverOverspend_AndNeverGrantTwice()
    {
        const int Budget = 120;
        IRewardLedger[] ledgers = [Ledger, OtherHost().GetRequiredService<IRewardLedger>()];
        var results = new int[4];
        var granted = new System.Collections.Concurrent.ConcurrentBag<string>();

        // 4 workers over two hosts, 300 attempts over 110 distinct keys (each key tried by several), costs 1..3.
        Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var k = i % 110;
            var result = ledgers[i % 2].TryAppend(Grant($"k{k}", $"m{k % 7}", 1 + (k % 3), Budget, new RewardCounter($"cap|m{k % 7}", 12, 1, false)));
            Interlocked.Increment(ref results[(int)result]);
            if (result == RewardAppendResult.Granted)
            {
                granted.Add($"k{k}");
            }
        });

        var entries = Ledger.Snapshot();
        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
        Assert.Equal(entries.Count, results[(int)RewardAppendResult.Granted]);
        Assert.Equal(granted.Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(entries.Sum(e => e.Rewards[0].Quantity), Ledger.GetCounter("budget|b"));
        Assert.True(Ledger.GetCounter("budget|b") <= Budget, "never overspent");
        Assert.All(entries.GroupBy(e => e.Member), g => Assert.Equal(g.Count(), Ledger.GetCounter($"cap|{g.Key}")));
        Assert.All(entries.GroupBy(e => e.Member), g => Assert.True(g.Count() <= 12));
        Assert.True(results[(int)RewardAppendResult.AlreadyGranted] > 0);
        Assert.True(results[(int)RewardAppendResult.BudgetExhausted] + results[(int)RewardAppendResult.LimitReached] > 0);
    }

    [StoreFact]
    public void Ledger_RandomOperations_MatchTheInMemoryReference()
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
                Assert.Equal(expected.TryReverse(key, at, $"e{i}"), Ledger.TryReverse(key, at, $"e{i}"));
                continue;
            }

            var member = $"m{random.Next(6)}";
            var grant = Grant(key, member, random.Next(0, 4), 150, new RewardCounter($"cap|{member}", random.Next(3, 8), 1, false)) with { At = T0.AddMinutes(i) };
            if (random.Next(4) == 0)
            {
                grant = grant with { Counters = [.. grant.Counters, new RewardCounter("rule|r", 40, 1, false)] };
            }

            Assert.Equal(expected.TryAppend(grant), Ledger.TryAppend(grant));
        }

        Same.Equal(expected.Snapshot(), Ledger.Snapshot());
        foreach (var key in new[] { "budget|b", "rule|r" }.Concat(Enumerable.Range(0, 6).Select(m => $"cap|m{m}")))
        {
            Assert.Equal(expected.GetCounter(key), Ledger.GetCounter(key));
        }
    }
}
