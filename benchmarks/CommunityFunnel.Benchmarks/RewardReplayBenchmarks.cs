using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 19: <see cref="RewardReplay.Run"/> with docs/examples/rewards-rules.json (the 5 example rules) on the
/// simulator's month in arrival order (late lines and repeated ids included), as <c>rewards replay</c> runs it
/// after reading the file. Baseline: the naive replay a user would write, and the one the CLI had: everything in a
/// <c>List</c>, deduplicated, sorted, then one <c>ProcessAsync</c> an event. <see cref="Engine_ProcessBatch_PreSorted"/>
/// is the engine alone on events ordered in setup (the floor: no filtering, deduplication or ordering).
/// Setup checks that the three give the same statistics. events/s = Events / Mean. 10M events:
/// <c>CF_REPLAY_EVENTS=1000000,10000000</c>.
/// </summary>
[MemoryDiagnoser]
public class RewardReplayBenchmarks
{
    private CommunityEvent[] _events = [];
    private CommunityEvent[] _sorted = [];
    private RewardRuleSet _rules = null!;
    private TimeZoneInfo _zone = null!;

    [ParamsSource(nameof(Sizes))]
    public int Events { get; set; }

    public static IEnumerable<int> Sizes() => ReplayBenchmarkData.Sizes();

    [GlobalSetup]
    public void Setup()
    {
        _rules = RewardRuleSet.Parse(File.ReadAllText(ReplayBenchmarkData.RepoFile("docs/examples/rewards-rules.json")));
        _zone = TimeZoneInfo.FindSystemTimeZoneById(_rules.TimeZone ?? "Asia/Shanghai");
        _events = ReplayBenchmarkData.ArrivalOrder(Events, seed: 1);
        _sorted = [.. ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf)];

        var naive = Statistics(NaiveEngine());
        var replay = Statistics(RewardReplay.Run(_events, _rules, ReplayBenchmarkData.AsOf).Statistics);
        var floor = Statistics(PreSortedEngine());
        if (naive != replay || naive != floor)
        {
            throw new InvalidOperationException($"The replays disagree: naive {naive}, RewardReplay.Run {replay}, engine on pre-sorted events {floor}.");
        }

        Console.WriteLine($"// {_events.Length} events, {_sorted.Length} replayed; (events, grants, reversals, already granted, limit reached, ineligible): {naive}");
    }

    [Benchmark(Baseline = true)]
    public long Naive_ListSortProcessEach() => NaiveEngine().Grants;

    [Benchmark]
    public long RewardReplay_Run() => RewardReplay.Run(_events, _rules, ReplayBenchmarkData.AsOf).Statistics.Grants;

    [Benchmark]
    public long Engine_ProcessBatch_PreSorted() => PreSortedEngine().Grants;

    private RewardStatistics NaiveEngine()
    {
        var engine = new RewardEngine(_rules, _zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        foreach (var e in ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf))
        {
            engine.ProcessAsync(e).GetAwaiter().GetResult(); // in memory: completes at once
        }

        return engine.Statistics;
    }

    private RewardStatistics PreSortedEngine()
    {
        var engine = new RewardEngine(_rules, _zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        engine.ProcessBatch(_sorted);
        return engine.Statistics;
    }

    private static (long Events, long Grants, long Reversals, long AlreadyGranted, long LimitReached, long Ineligible) Statistics(RewardStatistics s) =>
        (s.Events, s.Grants, s.Reversals, s.AlreadyGranted, s.LimitReached, s.Ineligible);
}
