using BenchmarkDotNet.Attributes;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 6 at its stated size: 10M simulated events (about 1.1M members) through the 50 rules with the in-memory
/// ledger (events/s = Events / Mean). The engine alone: the naive baseline takes minutes an operation at this size
/// (its rate is in <see cref="RewardsEngineBenchmarks"/> at 100k and 1M). Needs about 5 GB.
/// </summary>
[MemoryDiagnoser]
public class RewardsEngineScaleBenchmarks
{
    private RewardsWorkload _workload = null!;

    [Params(10_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => _workload = RewardsBenchmarkData.Workload(Events);

    [Benchmark]
    public long RewardEngine_Process() => RewardsBenchmarkData.RunEngine(_workload);

    [Benchmark]
    public long RewardEngine_ProcessBatch() => RewardsBenchmarkData.RunEngineBatch(_workload);
}
