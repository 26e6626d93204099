using System.Runtime.InteropServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>
/// The replay streams its events through the bounded-memory orderer: with a budget of a few events (runs spilled to
/// files and merged) it gives what it gives with the whole log in memory, and what the former collect-and-sort
/// replay gave (one sorted batch).
/// </summary>
public sealed class RewardReplayOrderingTests : IDisposable
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");
    private static readonly DateTimeOffset AsOf = new(2026, 12, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly string _temp = Directory.CreateTempSubdirectory("cf-replay-order-tests-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static RewardRuleSet Rules() => new()
    {
        Budgets = [new RewardBudget { Id = "b", Limit = 60 }],
        Rules =
        [
            RewardScenario.Rule("checkin", new RewardTrigger { Kind = RewardTriggerKind.Checkin }),
            RewardScenario.Rule("streak3", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 3 }, budget: "b"),
            RewardScenario.Rule("msgs4", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 4, Period = RewardPeriod.Week }),
            RewardScenario.Rule("orders", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 5_000 }, new RewardLimits { RuleTotal = 9 }),
            RewardScenario.Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }, budget: "b") with
            {
                Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 2, Draw = "d-{week}" }],
            },
            RewardScenario.Rule("form", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "form" }, new RewardLimits { PerMemberPerWeek = 1 }),
        ],
    };

    /// <summary>A shuffled log over 45 days (some after <see cref="AsOf"/>) with repeated ids (a repeat differs in its instant, so the first seen must win).</summary>
    private static List<CommunityEvent> Log(int seed, int count, int members)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var member = $"m{random.Next(members)}";
            var at = start.AddMinutes(random.Next(60 * 24 * 45));
            var id = random.Next(20) == 0 && i > 0 ? events[random.Next(i)].Id : $"e{seed}-{i}";
            events.Add(RewardScenario.RandomEvent(random, id, member, at, maxAmount: 4_000));
        }

        random.Shuffle(CollectionsMarshal.AsSpan(events));
        return events;
    }

    /// <summary>The replay as it was before streaming: filter, first of each id, List.Sort, one batch.</summary>
    private static (string Ledger, long Duplicates, long Grants) Reference(List<CommunityEvent> log, RewardRuleSet rules)
    {
        var seen = new FingerprintSet();
        var kept = new List<CommunityEvent>();
        long duplicates = 0;
        foreach (var e in log.Where(e => e.AtUtcTicks < AsOf.UtcTicks))
        {
            if (seen.Add(e.Id))
            {
                kept.Add(e);
            }
            else
            {
                duplicates++;
            }
        }

        kept.Sort(static (a, b) => a.AtUtcTicks != b.AtUtcTicks ? a.AtUtcTicks.CompareTo(b.AtUtcTicks) : string.CompareOrdinal(a.Id, b.Id));
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(rules, Zone, ledger, new InMemoryMemberDirectory());
        engine.ProcessBatch(CollectionsMarshal.AsSpan(kept));
        return (RewardScenario.Describe(ledger.Snapshot()), duplicates, engine.Statistics.Grants);
    }

    private static string Summary(RewardReplayResult r) => string.Join('\n',
        RewardScenario.Describe(r.Ledger),
        string.Join(';', r.Rules), string.Join(';', r.Members), string.Join(';', r.Budgets), string.Join(';', r.Draws),
        $"{r.Duplicates} {r.Statistics.Events} {r.Statistics.Grants} {r.Statistics.AlreadyGranted} {r.Statistics.BudgetExhausted} {r.Statistics.LimitReached} {r.Statistics.Ineligible} {r.Statistics.Reversals} {r.Statistics.TooLate}");

    [Fact]
    public void TinyMemoryBudget_GivesTheSameResult_AsTheWholeLogInMemory_AndAsTheFormerReplay()
    {
        for (var seed = 1; seed <= 25; seed++)
        {
            var log = Log(seed, 200 + (seed * 20), members: 8);
            var rules = Rules();
            var big = RewardReplay.Run(log, rules, AsOf);
            var (reference, duplicates, grants) = Reference(log, rules);
            Assert.Equal(reference, RewardScenario.Describe(big.Ledger));
            Assert.Equal(duplicates, big.Duplicates);
            Assert.Equal(grants, big.Statistics.Grants);
            Assert.Equal(0, big.Ordering.SpilledRuns);

            foreach (var budget in new[] { 1, 5, 64 })
            {
                var small = RewardReplay.Run(log, rules, AsOf, ordering: new EventOrderOptions { MaxBufferedEvents = budget, TempDirectory = _temp });
                Assert.Equal(Summary(big), Summary(small));
                Assert.True(small.Ordering.SpilledRuns > 0);
                Assert.Equal(big.Ordering.Events, small.Ordering.Events);
                Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
            }
        }

        Assert.Contains(RewardReplay.Run(Log(1, 400, 8), Rules(), AsOf).Ledger, e => e.Rewards.Any(r => r.Kind == RewardKind.Tickets)); // the draws are exercised
    }

    [Fact]
    public async Task RunAsync_WithATinyBudget_WritesTheSameLedger()
    {
        for (var seed = 1; seed <= 10; seed++)
        {
            var log = Log(seed, 300, members: 6);
            var rules = Rules();
            var expected = Summary(RewardReplay.Run(log, rules, AsOf));
            var ledger = new InMemoryRewardLedger();
            var result = await RewardReplay.RunAsync(log, rules, AsOf, ledger, ordering: new EventOrderOptions { MaxBufferedEvents = 3, TempDirectory = _temp });
            Assert.Equal(expected, Summary(result));
            Assert.True(result.Ordering.SpilledRuns > 0);
            Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
        }
    }

    /// <summary>The log displaced by at most <paramref name="window"/> places: sorted, then shuffled within consecutive blocks.</summary>
    private static List<CommunityEvent> NearlyOrdered(List<CommunityEvent> log, int window, int seed)
    {
        var sorted = log.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        var span = CollectionsMarshal.AsSpan(sorted);
        for (var i = 0; i < span.Length; i += window)
        {
            random.Shuffle(span.Slice(i, Math.Min(window, span.Length - i)));
        }

        return sorted;
    }

    [Fact]
    public void RunStreaming_GivesRunsResult_ReadingAnOrderedLogOnce_AndAShuffledOneTwice()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var shuffled = Log(seed, 300 + (seed * 15), members: 8);
            var rules = Rules();
            foreach (var (log, budget, passes) in new[] { (NearlyOrdered(shuffled, 8, seed), 8, 1), (NearlyOrdered(shuffled, 8, seed), 2_000, 1), (shuffled, 16, 2), (shuffled, 1, 2) })
            {
                var expected = Summary(RewardReplay.Run(log, rules, AsOf));
                var opened = 0;
                var result = RewardReplay.RunStreaming(() => { opened++; return log; }, rules, AsOf, ordering: new EventOrderOptions { MaxBufferedEvents = budget, TempDirectory = _temp });

                Assert.Equal(expected, Summary(result));
                Assert.Equal(passes, opened);
                Assert.Equal(passes, result.Ordering.Passes);
                Assert.Equal(passes == 1 ? 0 : 1, Math.Sign(result.Ordering.SpilledRuns)); // the streaming pass writes nothing
                Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
            }
        }
    }

    [Fact]
    public void RunStreaming_RejectsASourceThatOpensToNull()
    {
        Assert.Throws<ArgumentNullException>(() => RewardReplay.RunStreaming(null!, Rules(), AsOf));
        var error = Assert.Throws<InvalidOperationException>(() => RewardReplay.RunStreaming(() => null!, Rules(), AsOf));
        Assert.Contains("openEvents returned null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogOfSeveralChunks_WithRunsSpilled_MatchesTheFormerReplay()
    {
        var log = Log(seed: 42, count: (3 * RewardReplay.ChunkSize) + 1_234, members: 3_000);
        var rules = Rules();
        var result = RewardReplay.Run(log, rules, AsOf, ordering: new EventOrderOptions { MaxBufferedEvents = 4_000, TempDirectory = _temp });
        var (reference, duplicates, _) = Reference(log, rules);

        Assert.Equal(reference, RewardScenario.Describe(result.Ledger));
        Assert.Equal(duplicates, result.Duplicates);
        Assert.True(result.Ordering.Events > 2 * RewardReplay.ChunkSize);
        Assert.True(result.Ordering.SpilledRuns > 1);
        Assert.True(result.Ordering.LateEvents > 0);
        Assert.Equal(4_000, result.Ordering.MaxBuffered);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
    }

    [Fact]
    public async Task InvalidOrderingOptions_AreRejected_BeforeAnyEventIsRead()
    {
        var read = 0;
        IEnumerable<CommunityEvent> Counting()
        {
            read++;
            yield break;
        }

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RewardReplay.Run(Counting(), Rules(), AsOf, ordering: new EventOrderOptions { MemoryMegabytes = 0 }));
        Assert.Equal("MemoryMegabytes", error.ParamName);
        var folder = await Assert.ThrowsAsync<ArgumentException>(() =>
            RewardReplay.RunAsync(Counting(), Rules(), AsOf, new InMemoryRewardLedger(), ordering: new EventOrderOptions { TempDirectory = Path.Combine(_temp, "missing") }));
        Assert.Equal("TempDirectory", folder.ParamName);
        Assert.Equal(0, read);
    }
}
