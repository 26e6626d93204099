using BenchmarkDotNet.Attributes;
using CommunityFunnel.Members;
using CommunityFunnel.Storage.PostgreSql;
using CommunityFunnel.Storage.Sqlite;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 7 target: member updates per second on SQLite and PostgreSQL, single (one transaction per save) and
/// batched (100 saves per transaction), next to the in-memory store (Baseline). An update is what the lifecycle
/// does per event: read the member, write the next version conditionally (no state change, so no audit entry).
/// Updates/s = 1 / Mean (the mean is per update). Durability as in <see cref="StoreLedgerBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class StoreMemberBenchmarks
{
    private const int Members = 1_000;
    private const int Batch = 100;
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private StoreBenchmarkDatabases _db = null!;
    private IMemberStore _memory = null!;
    private int _tick;

    [GlobalSetup]
    public void Setup()
    {
        _db = new StoreBenchmarkDatabases();
        _memory = new InMemoryMemberStore();
        var stores = new List<IMemberStore> { _memory, _db.SqliteMembers };
        if (Environment.GetEnvironmentVariable(StoreBenchmarkDatabases.Variable) is { Length: > 0 })
        {
            stores.Add(_db.PostgreSqlMembers);
        }

        foreach (var store in stores)
        {
            for (var i = 0; i < Members; i++)
            {
                store.SaveAsync(new MemberRecord { Group = "g", Member = $"member-{i}", Version = 1, FirstSeenAt = T0, Watermark = T0, State = MemberState.Active }, 0, [], CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Members)]
    public Task<long> InMemory() => Single(_memory);

    [Benchmark(OperationsPerInvoke = Members)]
    public Task<long> Sqlite() => Single(_db.SqliteMembers);

    [Benchmark(OperationsPerInvoke = Members)]
    public Task<long> SqliteBatched() => Batched(_db.SqliteMembers, (store, saves) => SqliteBatch.SaveAllAsync(store, saves));

    [Benchmark(OperationsPerInvoke = Members)]
    public Task<long> PostgreSql() => Single(_db.PostgreSqlMembers);

    [Benchmark(OperationsPerInvoke = Members)]
    public Task<long> PostgreSqlBatched() => Batched(_db.PostgreSqlMembers, (store, saves) => PostgreSqlBatch.SaveAllAsync(store, saves));

    private async Task<long> Single(IMemberStore store)
    {
        var tick = ++_tick;
        long versions = 0;
        for (var i = 0; i < Members; i++)
        {
            var current = (await store.FindAsync("g", $"member-{i}", CancellationToken.None))!;
            var next = Next(current, tick);
            await store.SaveAsync(next, current.Version, [], CancellationToken.None);
            versions += next.Version;
        }

        return versions;
    }

    private async Task<long> Batched(IMemberStore store, Func<IMemberStore, IReadOnlyList<(MemberRecord, long, IReadOnlyList<MemberTransition>)>, Task<IReadOnlyList<bool>>> saveAll)
    {
        var tick = ++_tick;
        long saved = 0;
        var batch = new (MemberRecord, long, IReadOnlyList<MemberTransition>)[Batch];
        for (var start = 0; start < Members; start += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                var current = (await store.FindAsync("g", $"member-{start + i}", CancellationToken.None))!;
                batch[i] = (Next(current, tick), current.Version, []);
            }

            saved += (await saveAll(store, batch)).Count(s => s);
        }

        return saved;
    }

    private static MemberRecord Next(MemberRecord current, int tick) => current with
    {
        Version = current.Version + 1,
        LastActivityAt = T0.AddSeconds(tick),
        Watermark = T0.AddSeconds(tick),
    };
}
