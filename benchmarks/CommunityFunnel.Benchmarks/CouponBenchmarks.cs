using BenchmarkDotNet.Attributes;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 23: coupon codes generated per second (default pattern: CF + 8 characters of 31 + a check character),
/// from RandomNumberGenerator and from a seed (Baseline), and the check of a typed code (normalise + well formed).
/// Codes/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class CouponCodeBenchmarks
{
    private readonly CouponCodeOptions _options = new();
    private CouponCodeGenerator _seeded = null!;
    private CouponCodeGenerator _system = null!;
    private string _typed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _seeded = new CouponCodeGenerator(_options, 1);
        _system = new CouponCodeGenerator(_options);
        _typed = " " + _system.Next().ToLowerInvariant().Insert(5, "-") + " ";
    }

    [Benchmark(Baseline = true)]
    public string NextSeeded() => _seeded.Next();

    [Benchmark]
    public string NextRandomNumberGenerator() => _system.Next();

    [Benchmark]
    public bool NormalizeAndCheck() => CouponCodes.IsWellFormed(CouponCodes.Normalize(_typed, _options), _options);
}

/// <summary>
/// Issue 23: redemptions per second through <see cref="ICouponService.RedeemAsync"/> (normalise, check, read the
/// coupon, then the store's transaction: lock, decide, write the use and the audit entry), each on its own
/// single-use coupon issued before the iteration; in memory, on SQLite (WAL, synchronous=FULL) and on PostgreSQL
/// (COMMUNITYFUNNEL_PG, synchronous_commit=on).
/// Redemptions/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5, invocationCount: 1)]
public class CouponRedeemBenchmarks
{
    private const int PerIteration = 200;
    private StoreBenchmarkDatabases _db = null!;
    private ServiceProvider _memory = null!;
    private readonly List<string> _codes = [];
    private int _next;

    [Params("InMemory", "Sqlite", "PostgreSql")]
    public string Store { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        _db = new StoreBenchmarkDatabases();
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        _memory = services.BuildServiceProvider();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.Dispose();
        _db.Dispose();
    }

    private ICouponService Service => Store switch
    {
        "Sqlite" => _db.SqliteCoupons,
        "PostgreSql" => _db.PostgreSqlCoupons,
        _ => _memory.GetRequiredService<ICouponService>(),
    };

    [IterationSetup]
    public void Issue()
    {
        _codes.Clear();
        for (var i = 0; i < PerIteration; i++)
        {
            var n = _next++;
            var grant = new RewardLedgerEntry
            {
                Key = $"streak-7-coupon|member-{n}|d",
                RuleId = "streak-7-coupon",
                Member = $"member-{n}",
                EventId = $"e{n}",
                At = DateTimeOffset.UnixEpoch,
                Rewards = [new RewardSpec { Kind = RewardKind.Coupon, Coupon = new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20 } }],
                Counters = [],
            };
            _codes.Add(Service.IssueAsync(grant).GetAwaiter().GetResult().Code);
        }
    }

    [Benchmark(OperationsPerInvoke = PerIteration)]
    public async Task<int> Redeem()
    {
        var service = Service;
        var done = 0;
        for (var i = 0; i < _codes.Count; i++)
        {
            done += (await service.RedeemAsync(_codes[i], new CouponOrder($"order-{_next}-{i}", 19900))).Applies ? 1 : 0;
        }

        return done;
    }
}
