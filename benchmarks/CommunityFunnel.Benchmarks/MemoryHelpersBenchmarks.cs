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
/// stays only where turning it off costs time here (2 MB pages, measured the same way, did not, and were removed). Each method processes the whole log once (per event: divide the
/// mean by the event count).
/// </summary>
[MemoryDiagnoser]
public class MemoryHelpersBenchmarks
{
    /// <summary>2M by default; <c>COMMUNITYFUNNEL_BENCH_EVENTS</c> sets another size (e.g. 10M for the huge-page question).</summary>
    private static readonly int Events = int.TryParse(Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_BENCH_EVENTS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 2_000_000;
    private CommunityEvent[] _events = [];
    private RewardRuleSet _rules = null!;

    [ParamsSource(nameof(HelperSets))]
    public string Helpers { get; set; } = "all";

    /// <summary>Every set, or those named in <c>COMMUNITYFUNNEL_BENCH_HELPERS</c> (comma-separated).</summary>
    public static IEnumerable<string> HelperSets() =>
        Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_BENCH_HELPERS") is { Length: > 0 } only
            ? only.Split(',')
            : ["all", "no-pretouch", "no-prefetch", "none"];

    [GlobalSetup]
    public void Setup()
    {
        MemoryHelpers.PreTouch = Helpers is "all" or "no-prefetch";
        MemoryHelpers.Prefetch = Helpers is "all" or "no-pretouch";
        _events = RewardsBenchmarkData.Simulated(Events, seed: 12);
        _rules = RewardsBenchmarkData.FiftyRules();
    }

    [Benchmark]
    public long Activation_Streaming()
    {
        var calculator = new StreamingActivationCalculator(expectedEvents: Events);
        calculator.AddRange(_events);
        return calculator.GetReport(_events[^1].At).Activated;
    }

    [Benchmark]
    public long Rewards_ProcessBatch()
    {
        var engine = new RewardEngine(_rules, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        engine.ProcessBatch(_events);
        return engine.Statistics.Grants;
    }

    [Benchmark]
    public long Lifecycle_ApplyBatch()
    {
        var engine = new MemberLifecycleEngine(new LifecycleOptions(), expectedMembers: Events / 9);
        engine.ApplyBatch(_events);
        return engine.Applied;
    }
}
