using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 19: <see cref="RewardReplay.Run"/> with docs/examples/rewards-rules.json (the 5 example rules) on the
/// simulator's month in arrival order (late lines and repeated ids included), as <c>rewards replay</c> runs it
/// after reading the file. Baseline: the naive replay a user would write, and the one the CLI had: everything in a
/// <c>List</c>, deduplicated, sorted, then one <c>ProcessAsync</c> an event. <see cref="RewardReplay_RunStreaming"/> is
/// what <c>rewards replay</c> calls on a file: events processed as they leave the reorder buffer (here the list is
/// read again if the log is further out of order than the buffer). <see cref="Engine_ProcessBatch_PreSorted"/>
/// is the engine alone on events ordered in setup (the floor: no filtering, deduplication or ordering, and no
/// summaries); the naive baseline builds the same result object (summaries per rule, member and draw) as the replay.
/// Setup checks that the four give the same statistics. events/s = Events / Mean. 10M events:
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

        var naiveResult = NaiveReplay();
        var naive = Statistics(naiveResult.Statistics);
        var replayResult = RewardReplay.Run(_events, _rules, ReplayBenchmarkData.AsOf);
        var replay = Statistics(replayResult.Statistics);
        var streamingResult = RewardReplay.RunStreaming(() => _events, _rules, ReplayBenchmarkData.AsOf);
        var streaming = Statistics(streamingResult.Statistics);
        var floor = Statistics(PreSortedEngine());
        if (naive != replay || naive != streaming || naive != floor)
        {
            throw new InvalidOperationException($"The replays disagree: naive {naive}, RewardReplay.Run {replay}, RewardReplay.RunStreaming {streaming}, engine on pre-sorted events {floor}.");
        }

        var summaries = Summaries(naiveResult);
        if (summaries != Summaries(replayResult) || summaries != Summaries(streamingResult))
        {
            throw new InvalidOperationException($"The replays' summaries disagree: naive {summaries}, RewardReplay.Run {Summaries(replayResult)}, RewardReplay.RunStreaming {Summaries(streamingResult)}.");
        }

        Console.WriteLine($"// {_events.Length} events, {_sorted.Length} replayed; (events, grants, reversals, already granted, limit reached, ineligible): {naive}");
    }

    [Benchmark(Baseline = true)]
    public long Naive_ListSortProcessEach() => NaiveReplay().Members.Count;

    [Benchmark]
    public long RewardReplay_Run() => RewardReplay.Run(_events, _rules, ReplayBenchmarkData.AsOf).Members.Count;

    [Benchmark]
    public long RewardReplay_RunStreaming() => RewardReplay.RunStreaming(() => _events, _rules, ReplayBenchmarkData.AsOf).Members.Count;

    [Benchmark]
    public long Engine_ProcessBatch_PreSorted() => PreSortedEngine().Grants;

    /// <summary>
    /// The naive replay, ending with the same result object as <see cref="RewardReplay.Run"/> (its per-rule, per-member
    /// and per-draw summaries are part of the replay's cost, about a third of it at 1M events).
    /// </summary>
    private RewardReplayResult NaiveReplay()
    {
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(_rules, _zone, ledger, new InMemoryMemberDirectory());
        var ordered = ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf, out var duplicates);
        foreach (var e in ordered)
        {
            engine.ProcessAsync(e).GetAwaiter().GetResult(); // in memory: completes at once
        }

        return new RewardReplayResult(_rules, ledger, engine.Statistics, duplicates, new EventOrderStatistics { Events = ordered.Count });
    }

    private RewardStatistics PreSortedEngine()
    {
        var engine = new RewardEngine(_rules, _zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        engine.ProcessBatch(_sorted);
        return engine.Statistics;
    }

    /// <summary>The result's summaries in one comparable line: duplicates, and per rule, member and draw their totals.</summary>
    private static string Summaries(RewardReplayResult r) =>
        string.Join(';', [r.Duplicates.ToString(System.Globalization.CultureInfo.InvariantCulture), .. r.Rules.Select(x => x.ToString()), .. r.Members.Select(x => x.ToString()), .. r.Draws.Select(x => x.ToString())]);

    private static (long Events, long Grants, long Reversals, long AlreadyGranted, long LimitReached, long Ineligible) Statistics(RewardStatistics s) =>
        (s.Events, s.Grants, s.Reversals, s.AlreadyGranted, s.LimitReached, s.Ineligible);
}
