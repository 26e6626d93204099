using BenchmarkDotNet.Attributes;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 6 target: grant throughput under 2-thread contention on one budget (grants/s = Grants / Mean).
/// Baseline: the same grants appended by one thread. Each run starts from an empty ledger; half the attempts
/// repeat a key already tried (webhook retries), and the budget runs out before the end.
/// </summary>
[MemoryDiagnoser]
public class RewardsLedgerBenchmarks
{
    private RewardLedgerEntry[] _grants = [];

    [Params(200_000)]
    public int Grants { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _grants = new RewardLedgerEntry[Grants];
        for (var i = 0; i < Grants; i++)
        {
            var key = i / 2; // every key twice: a retry
            _grants[i] = new RewardLedgerEntry
            {
                Key = $"rule|member-{key % 50_000}|e:{key}",
                RuleId = "rule",
                Member = $"member-{key % 50_000}",
                EventId = $"e{key}",
                Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1 }],
                Counters = [new RewardCounter($"limit|rule|member-{key % 50_000}|ever", 100, 1, false), new RewardCounter("budget|b", Grants * 2 / 5, 1, true)],
            };
        }
    }

    [Benchmark(Baseline = true)]
    public int OneThread()
    {
        var ledger = new InMemoryRewardLedger();
        var granted = 0;
        foreach (var g in _grants)
        {
            granted += ledger.TryAppend(g) == RewardAppendResult.Granted ? 1 : 0;
        }

        return granted;
    }

    [Benchmark]
    public int TwoThreadsOneBudget()
    {
        var ledger = new InMemoryRewardLedger();
        var granted = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
        {
            var mine = 0;
            for (var i = t; i < _grants.Length; i += 2)
            {
                mine += ledger.TryAppend(_grants[i]) == RewardAppendResult.Granted ? 1 : 0;
            }

            Interlocked.Add(ref granted, mine);
        });

        return granted;
    }
}
