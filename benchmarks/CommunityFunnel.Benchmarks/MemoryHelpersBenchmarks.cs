using BenchmarkDotNet.Attributes;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// What the low-level memory helpers pay on realistic data: the simulator's time-ordered month (2M events, about
/// 220 000 members) through the activation calculator, the reward engine (50 rules, in-memory ledger) and the
/// lifecycle engine, with every helper on (the default) and with each turned off in turn, and all off. A helper
/// stays only where turning it off costs time here.
/// </summary>
[MemoryDiagnoser]
public class MemoryHelpersBenchmarks
{
    private const int Events = 2_000_000;
    private CommunityEvent[] _events = [];
    private RewardRuleSet _rules = null!;

    [Params("all", "no-huge-pages", "no-pretouch", "no-prefetch", "none")]
    public string Helpers { get; set; } = "all";

    [GlobalSetup]
    public void Setup()
    {
        MemoryHelpers.HugePages = Helpers is "all" or "no-pretouch" or "no-prefetch";
        MemoryHelpers.PreTouch = Helpers is "all" or "no-huge-pages" or "no-prefetch";
        MemoryHelpers.Prefetch = Helpers is "all" or "no-huge-pages" or "no-pretouch";
        _events = RewardsBenchmarkData.Simulated(Events, seed: 12);
        _rules = RewardsBenchmarkData.FiftyRules();
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Activation_Streaming()
    {
        var calculator = new StreamingActivationCalculator(expectedEvents: Events);
        calculator.AddRange(_events);
        return calculator.GetReport(_events[^1].At).Activated;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Rewards_ProcessBatch()
    {
        var engine = new RewardEngine(_rules, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        engine.ProcessBatch(_events);
        return engine.Statistics.Grants;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Lifecycle_ApplyBatch()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions(), expectedMembers: Events / 9);
        engine.ApplyBatch(_events);
        return engine.Applied;
    }
}
