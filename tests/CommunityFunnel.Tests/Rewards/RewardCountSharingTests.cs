using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>Count rules that count the same events share one state slot; each must still behave as if it ran alone.</summary>
public sealed class RewardCountSharingTests
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");

    private static readonly RewardRule[] CountRules =
    [
        .. new[] { 1, 2, 3, 5 }.Select(n => RewardScenario.Rule($"day-{n}", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = n, Period = RewardPeriod.Day })),
        .. new[] { 2, 4, 7 }.Select(n => RewardScenario.Rule($"week-{n}", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = n, Period = RewardPeriod.Week })),
        .. new[] { 3, 6 }.Select(n => RewardScenario.Rule($"task-{n}", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Checkin, Task = "a", Count = n, Period = RewardPeriod.Month })),
        RewardScenario.Rule("any-checkin-3", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Checkin, Count = 3, Period = RewardPeriod.Month }),
        RewardScenario.Rule("window-2", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 2, Period = RewardPeriod.Day }) with
        {
            ActiveFrom = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero),
        },
    ];

    [Fact]
    public void SharedSlots_GiveWhatEachRuleGivesAlone_InAnyArrivalOrder()
    {
        var tooLate = 0L;
        for (var seed = 1; seed <= 40; seed++)
        {
            var random = new Random(seed);
            var log = RandomLog(random, 300);

            var together = Run(CountRules, log);
            var alone = CountRules.Select(r => Run([r], log)).ToList();
            Assert.Equal(
                alone.SelectMany(a => a.Lines).Order(StringComparer.Ordinal),
                together.Lines.Order(StringComparer.Ordinal));
            Assert.Equal(alone.Sum(a => a.Stats.TooLate), together.Stats.TooLate);
            Assert.Equal(alone.Sum(a => a.Stats.Grants), together.Stats.Grants);
            tooLate += together.Stats.TooLate;
        }

        Assert.True(tooLate > 0, "late events reach the shared slots");
    }

    [Fact]
    public void SharedSlots_GiveTheLedgerOfUnsharedRules_InTheSameOrder()
    {
        // Rules that share a slot run together (a head and the followers right after it) or apart (a sharer after
        // another rule); the same rules, each with its own window end in 2100, share nothing. Same ledger, in order.
        var random = new Random(5);
        var tooLate = 0L;
        for (var seed = 1; seed <= 30; seed++)
        {
            // Two rules with one threshold fire on the same event: their order shows.
            var rules = CountRules.Append(RewardScenario.Rule("day-2b", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 2, Period = RewardPeriod.Day })).ToArray();
            if (seed % 2 == 0)
            {
                random.Shuffle(rules);
            }

            var unshared = rules.Select((r, i) => r with { ActiveTo = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i) }).ToArray();
            var log = RandomLog(random, 400);

            var shared = Run(rules, log);
            var apart = Run(unshared, log);
            Assert.Equal(apart.Lines, shared.Lines);
            Assert.Equal(apart.Stats.TooLate, shared.Stats.TooLate);
            Assert.Equal(apart.Stats.Grants, shared.Stats.Grants);
            Assert.True(shared.Lines.Length > 20);
            tooLate += shared.Stats.TooLate;
        }

        Assert.True(tooLate > 0, "late events reach the shared slots");
    }

    private static (string[] Lines, RewardStatistics Stats) Run(RewardRule[] rules, List<CommunityEvent> log)
    {
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(RewardScenario.Rules(rules), Zone, ledger, new InMemoryMemberDirectory());
        foreach (var e in log)
        {
            engine.Process(e);
        }

        return (RewardScenario.Describe(ledger.Snapshot()).Split('\n', StringSplitOptions.RemoveEmptyEntries), engine.Statistics);
    }

    /// <summary>Check-ins (tasks a and b) and messages of four members at random minutes over 40 days.</summary>
    private static List<CommunityEvent> RandomLog(Random random, int count)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        return Enumerable.Range(0, count).Select(i => random.Next(3) == 0
                ? new CommunityEvent($"e{i}", EventType.Checkin, "g", $"m{random.Next(4)}", start.AddMinutes(random.Next(60 * 24 * 40)), task: random.Next(2) == 0 ? "a" : "b")
                : new CommunityEvent($"e{i}", EventType.Message, "g", $"m{random.Next(4)}", start.AddMinutes(random.Next(60 * 24 * 40))))
            .ToList();
    }
}
