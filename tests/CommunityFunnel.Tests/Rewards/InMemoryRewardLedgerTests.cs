using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

public sealed class InMemoryRewardLedgerTests
{
    private static RewardLedgerEntry Grant(string key, string member, long cost, long budget, params RewardCounter[] extra) => new()
    {
        Key = key,
        RuleId = "r",
        Member = member,
        EventId = "e-" + key,
        At = DateTimeOffset.UnixEpoch,
        Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = cost }],
        Counters = [.. extra, new RewardCounter("budget|b", budget, cost, true)],
    };

    [Fact]
    public void ManyThreadsHammeringOneBudget_NeverOverspend_AndNeverGrantTwice()
    {
        const int budget = 1_000;
        var ledger = new InMemoryRewardLedger();
        var results = new int[4];

        // 8 threads, 4 000 attempts over 1 500 distinct keys (each key tried by several threads), costs 1..3.
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var k = i % 1_500;
            var result = ledger.TryAppend(Grant($"k{k}", $"m{k % 97}", 1 + (k % 3), budget));
            Interlocked.Increment(ref results[(int)result]);
        });

        var entries = ledger.Snapshot();
        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
        Assert.Equal(entries.Count, results[(int)RewardAppendResult.Granted]);
        Assert.Equal(entries.Sum(e => e.Rewards[0].Quantity), ledger.GetCounter("budget|b"));
        Assert.True(ledger.GetCounter("budget|b") <= budget);
        Assert.True(ledger.GetCounter("budget|b") > budget - 3, "the budget is used up, short of at most one grant");
        Assert.True(results[(int)RewardAppendResult.BudgetExhausted] > 0);
        Assert.True(results[(int)RewardAppendResult.AlreadyGranted] > 0);
    }

    [Fact]
    public void ConcurrentPerMemberCaps_AreExact()
    {
        var ledger = new InMemoryRewardLedger();
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            ledger.TryAppend(Grant($"k{i}", $"m{i % 10}", 1, long.MaxValue, new RewardCounter($"limit|m{i % 10}", 3, 1, false))));

        Assert.All(ledger.Snapshot().GroupBy(e => e.Member), g => Assert.Equal(3, g.Count()));
        Assert.Equal(30, ledger.Snapshot().Count);
    }

    [Fact]
    public void LimitIsReportedBeforeBudget_AndNothingChangesOnRefusal()
    {
        var ledger = new InMemoryRewardLedger();
        Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant("a", "m", 5, 5, new RewardCounter("cap", 1, 1, false))));

        Assert.Equal(RewardAppendResult.LimitReached, ledger.TryAppend(Grant("b", "m", 5, 5, new RewardCounter("cap", 1, 1, false))));
        Assert.Equal(RewardAppendResult.BudgetExhausted, ledger.TryAppend(Grant("c", "m", 1, 5, new RewardCounter("cap2", 1, 1, false))));
        Assert.Equal(0, ledger.GetCounter("cap2"));
        Assert.Single(ledger.Snapshot());
    }

    [Fact]
    public void Reversal_IsAppendedOnce_AndReturnsTheCounters()
    {
        var ledger = new InMemoryRewardLedger();
        ledger.TryAppend(Grant("a", "m", 4, 4));

        Assert.Equal(RewardAppendResult.BudgetExhausted, ledger.TryAppend(Grant("b", "m", 1, 4)));
        Assert.Equal(RewardReverseResult.Reversed, ledger.TryReverse("a", DateTimeOffset.UnixEpoch.AddDays(1), "rej"));
        Assert.Equal(RewardReverseResult.AlreadyReversed, ledger.TryReverse("a", DateTimeOffset.UnixEpoch.AddDays(2), "rej2"));
        Assert.Equal(RewardReverseResult.NotFound, ledger.TryReverse("zzz", DateTimeOffset.UnixEpoch, "x"));
        Assert.Equal(RewardReverseResult.NotFound, ledger.TryReverse("a|reversed", DateTimeOffset.UnixEpoch, "x"));
        Assert.Equal(0, ledger.GetCounter("budget|b"));
        Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant("b", "m", 1, 4)));
        Assert.Equal(RewardAppendResult.AlreadyGranted, ledger.TryAppend(Grant("a", "m", 1, 4)));

        var entries = ledger.Snapshot();
        Assert.Equal([RewardEntryKind.Grant, RewardEntryKind.Reversal, RewardEntryKind.Grant], entries.Select(e => e.Kind));
        Assert.Equal("a|reversed", entries[1].Key);
        Assert.Equal("rej", entries[1].EventId);
    }

    [Fact]
    public void ConcurrentReversalsAndGrants_KeepTheBudgetExact()
    {
        var ledger = new InMemoryRewardLedger();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant($"old{i}", "m", 1, 100)));
        }

        var reversed = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 2 == 0)
            {
                if (ledger.TryReverse($"old{i / 2 % 100}", DateTimeOffset.UnixEpoch, "rej") == RewardReverseResult.Reversed)
                {
                    Interlocked.Increment(ref reversed);
                }
            }
            else
            {
                ledger.TryAppend(Grant($"new{i}", "m", 1, 100));
            }
        });

        var granted = ledger.Snapshot().Count(e => e.Kind == RewardEntryKind.Grant);
        Assert.Equal(100, reversed);
        Assert.Equal(granted - reversed, ledger.GetCounter("budget|b"));
        Assert.True(ledger.GetCounter("budget|b") <= 100);
    }

    [Fact]
    public void Reversals_AreNotAppendedThroughTryAppend()
    {
        var ledger = new InMemoryRewardLedger();
        Assert.Throws<ArgumentException>(() => ledger.TryAppend(Grant("a", "m", 1, 1) with { Kind = RewardEntryKind.Reversal }));
    }

    [Fact]
    public void RefusedGrant_LeavesNoTraceOfItsKey_SoTheSameKeyCanBeGrantedLater()
    {
        var ledger = new InMemoryRewardLedger();
        Assert.Equal(RewardAppendResult.BudgetExhausted, ledger.TryAppend(Grant("k", "m", 5, 4)));
        Assert.Equal(RewardAppendResult.LimitReached, ledger.TryAppend(Grant("k", "m", 1, 10, new RewardCounter("limit|x", 0, 1, false))));
        Assert.Empty(ledger.Snapshot());
        Assert.Equal(RewardReverseResult.NotFound, ledger.TryReverse("k", DateTimeOffset.UnixEpoch, "e"));
        Assert.Equal(0, ledger.GetCounter("budget|b"));
        Assert.Equal(0, ledger.GetCounter("limit|x"));

        Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant("k", "m", 4, 4)));
        Assert.Equal(RewardAppendResult.AlreadyGranted, ledger.TryAppend(Grant("k", "m", 0, 4)));
        var entry = Assert.Single(ledger.Snapshot());
        Assert.Equal("k", entry.Key);
        Assert.Equal(4, ledger.GetCounter("budget|b"));
    }

    [Fact]
    public void ACounterAtTheLargestLimit_RefusesTheNextGrant_WithoutOverflow_AndLeavesNoTraceOfIt()
    {
        var ledger = new InMemoryRewardLedger();
        Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant("a", "m", 1, long.MaxValue, new RewardCounter("big", long.MaxValue, long.MaxValue, false))));
        Assert.Equal(RewardAppendResult.LimitReached, ledger.TryAppend(Grant("b", "m", 1, long.MaxValue, new RewardCounter("big", long.MaxValue, 1, false))));
        Assert.Equal("a", Assert.Single(ledger.Snapshot()).Key);
        Assert.Equal(RewardReverseResult.NotFound, ledger.TryReverse("b", DateTimeOffset.UnixEpoch, "e"));
        Assert.Equal(RewardAppendResult.Granted, ledger.TryAppend(Grant("b", "m", 1, long.MaxValue)));
        Assert.Equal(2, ledger.Snapshot().Count);
    }
}
