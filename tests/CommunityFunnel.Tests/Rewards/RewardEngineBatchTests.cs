using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Rewards;

/// <summary><see cref="IRewardEngine.ProcessBatch"/>: exactly what processing each event in turn gives.</summary>
public sealed class RewardEngineBatchTests
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");

    /// <summary>
    /// A simulated community in arrival order (late events, duplicates, reversals, a budget running out, members
    /// new in the middle of a run, tables that grow) through the seed article's rules, in random-sized batches.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ProcessBatch_GivesTheLedgerAndStatisticsOfProcessingEachEventInTurn(int seed)
    {
        var events = CommunitySimulator.Generate(new SimulationOptions { Members = 1500, Days = 12, Seed = (ulong)seed }).ToArray();
        var rules = RewardPresets.SeedArticle(couponBudget: 40);
        var oneLedger = new InMemoryRewardLedger();
        var one = new RewardEngine(rules, Zone, oneLedger, new EventRewardMemberDirectory());
        var batchLedger = new InMemoryRewardLedger();
        var batch = new RewardEngine(rules, Zone, batchLedger, new EventRewardMemberDirectory());
        var random = new Random(seed);
        long appendedOne = 0, appendedBatch = 0;
        for (var start = 0; start < events.Length;)
        {
            var length = Math.Min(random.Next(1, 200), events.Length - start);
            for (var i = start; i < start + length; i++)
            {
                appendedOne += one.Process(events[i]);
            }

            appendedBatch += batch.ProcessBatch(events.AsSpan(start, length));
            start += length;
        }

        Assert.Equal(appendedOne, appendedBatch);
        Assert.Equal(RewardScenario.Describe(oneLedger.Snapshot()), RewardScenario.Describe(batchLedger.Snapshot()));
        Assert.Equal(Describe(one.Statistics), Describe(batch.Statistics));
        Assert.True(one.Statistics.Grants > 1000 && one.Statistics.BudgetExhausted > 0 && one.Statistics.Reversals > 0, Describe(one.Statistics));
    }

    [Fact]
    public void ProcessBatch_WithANullElement_ProcessesNothing_AndNamesTheIndex()
    {
        var engine = new RewardEngine(RewardPresets.SeedArticle(), Zone, new InMemoryRewardLedger(), new EventRewardMemberDirectory());
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var events = new[] { new CommunityEvent("e1", EventType.Checkin, "g", "m1", at, task: "daily"), null! };
        var error = Assert.Throws<ArgumentException>(() => engine.ProcessBatch(events));
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.Statistics.Events);
    }

    [Fact]
    public void TheInterfaceDefault_ProcessesEachEventInTurn()
    {
        var engine = new CountingEngine();
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
        CommunityEvent[] events = [new("e1", EventType.Message, "g", "m1", at), new("e2", EventType.Message, "g", "m2", at)];
        Assert.Equal(2, ((IRewardEngine)engine).ProcessBatch(events));
        Assert.Equal(["e1", "e2"], engine.Seen);
        Assert.Throws<ArgumentException>(() => ((IRewardEngine)engine).ProcessBatch(new CommunityEvent[] { null! }));
    }

    private static string Describe(RewardStatistics s) =>
        $"events {s.Events} grants {s.Grants} already {s.AlreadyGranted} budget {s.BudgetExhausted} limit {s.LimitReached} ineligible {s.Ineligible} reversals {s.Reversals}";

    private sealed class CountingEngine : IRewardEngine
    {
        public List<string> Seen { get; } = [];

        public RewardStatistics Statistics { get; } = new();

        public int Process(CommunityEvent communityEvent)
        {
            Seen.Add(communityEvent.Id);
            return 1;
        }
    }
}
