using BenchmarkDotNet.Attributes;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.PostgreSql;
using CommunityFunnel.Storage.Sqlite;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 7 target: ledger grants per second on SQLite and PostgreSQL, one transaction per grant (single) and
/// 100 grants per transaction (batched), next to the in-memory ledger (Baseline). Each grant has a new key and
/// consumes a per-member cap and one shared budget (never exhausted), as the reward engine's grants do.
/// Grants/s = 1 / Mean (the mean is per grant). Durability: SQLite WAL + synchronous=FULL; PostgreSQL
/// synchronous_commit=on, fsync=on.
/// </summary>
[MemoryDiagnoser]
public class StoreLedgerBenchmarks
{
    private const int Grants = 500;
    private const int Batch = 100;
    private StoreBenchmarkDatabases _db = null!;
    private int _next;

    [GlobalSetup]
    public void Setup() => _db = new StoreBenchmarkDatabases();

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Grants)]
    public Task<int> InMemory() => Single(new InMemoryRewardLedger());

    [Benchmark(OperationsPerInvoke = Grants)]
    public Task<int> Sqlite() => Single(_db.SqliteLedger);

    [Benchmark(OperationsPerInvoke = Grants)]
    public Task<int> SqliteBatched() => Batched(_db.SqliteLedger, (ledger, grants) => SqliteBatch.TryAppendAllAsync(ledger, grants));

    [Benchmark(OperationsPerInvoke = Grants)]
    public Task<int> PostgreSql() => Single(_db.PostgreSqlLedger);

    [Benchmark(OperationsPerInvoke = Grants)]
    public Task<int> PostgreSqlBatched() => Batched(_db.PostgreSqlLedger, (ledger, grants) => PostgreSqlBatch.TryAppendAllAsync(ledger, grants));

    private async Task<int> Single(IRewardLedger ledger)
    {
        var granted = 0;
        for (var i = 0; i < Grants; i++)
        {
            granted += await ledger.TryAppendAsync(Grant(_next++), CancellationToken.None) == RewardAppendResult.Granted ? 1 : 0;
        }

        return granted;
    }

    private async Task<int> Batched(IRewardLedger ledger, Func<IRewardLedger, IReadOnlyList<RewardLedgerEntry>, Task<IReadOnlyList<RewardAppendResult>>> appendAll)
    {
        var granted = 0;
        var batch = new RewardLedgerEntry[Batch];
        for (var done = 0; done < Grants; done += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                batch[i] = Grant(_next++);
            }

            granted += (await appendAll(ledger, batch)).Count(r => r == RewardAppendResult.Granted);
        }

        return granted;
    }

    private static RewardLedgerEntry Grant(int n) => new()
    {
        Key = $"checkin|member-{n % 10_000}|e{n}",
        RuleId = "checkin",
        Member = $"member-{n % 10_000}",
        EventId = $"e{n}",
        At = DateTimeOffset.UnixEpoch.AddSeconds(n),
        Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1 }],
        Counters = [new RewardCounter($"limit|checkin|member-{n % 10_000}|ever", int.MaxValue, 1, false), new RewardCounter("budget|points", long.MaxValue / 2, 1, true)],
    };
}
