using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>
/// The engine's compact path into <see cref="InMemoryRewardLedger"/> (struct grants, fingerprinted keys, entries
/// materialised on demand) gives the same ledger, counters and statistics as appending entry objects to a plain
/// string-keyed ledger.
/// </summary>
public sealed class CompactRewardLedgerTests
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");

    private static RewardRuleSet Rules(int seed)
    {
        var budget = seed % 3 == 0 ? 25 : 400;
        RewardRule Rule(string id, RewardTrigger trigger, RewardLimits? limits = null, string? b = null, string? draw = null, int? validDays = null) => new()
        {
            Id = id,
            Trigger = trigger,
            Rewards =
            [
                new RewardSpec { Kind = RewardKind.Points, Quantity = 2, Cost = 3 },
                validDays is { } days
                    ? new RewardSpec { Kind = RewardKind.Coupon, Coupon = new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 500, ValidDays = days } }
                    : new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = draw ?? "d-{date}" },
            ],
            Limits = limits ?? new RewardLimits(),
            Budget = b,
        };

        return new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "b", Limit = budget }, new RewardBudget { Id = "c", Limit = budget * 2 }],
            Rules =
            [
                Rule("checkin", new RewardTrigger { Kind = RewardTriggerKind.Checkin }, new RewardLimits { PerMemberPerDay = 1, PerMemberPerWeek = 4, PerMemberPerMonth = 9 }, "b", "weekly-{week}"),
                Rule("streak3", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 3 }, new RewardLimits { PerMemberEver = 3 }, "c", validDays: 7),
                Rule("msgs-day", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 2, Period = RewardPeriod.Day }),
                Rule("msgs-week", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 3, Period = RewardPeriod.Week }, new RewardLimits { RuleTotal = 10 }),
                Rule("msgs-month", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 5, Period = RewardPeriod.Month }),
                Rule("orders", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 3_000, Period = RewardPeriod.Month }, new RewardLimits { PerMemberPerMonth = 1 }, "b", "free-{month}"),
                Rule("first", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }, b: "c", validDays: 30),
                Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }, new RewardLimits { PerMemberPerDay = 1, RuleTotal = 12 }, "b"),
                Rule("form", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "form" }, new RewardLimits { PerMemberPerWeek = 1 }),
            ],
        };
    }

    /// <summary>Arrival order is random (late events, reversals before their approvals); member ids include the key separators.</summary>
    private static List<CommunityEvent> RandomLog(int seed, int count)
    {
        var random = new Random(seed);
        var members = new[] { "m1", "m|2", "3:m", "m|d:4", "会员5", "", "x" };
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var member = members[random.Next(members.Length)];
            if (member.Length == 0)
            {
                member = "m" + random.Next(100);
            }

            var at = start.AddMinutes(random.Next(60 * 24 * 70));
            var id = random.Next(20) == 0 && i > 0 ? events[random.Next(i)].Id : $"e{seed}-{i}";
            events.Add(RewardScenario.RandomEvent(random, id, member, at, maxAmount: 2_000));
        }

        return events;
    }

    [Fact]
    public async Task CompactPath_EqualsEntryObjectsInAStringKeyedLedger_OnRandomLogs()
    {
        var differentCounts = 0;
        for (var seed = 1; seed <= 80; seed++)
        {
            var rules = Rules(seed);
            var log = RandomLog(seed, 400);
            var compact = new InMemoryRewardLedger();
            var reference = new ReferenceRewardLedger();
            var compactEngine = new RewardEngine(rules, Zone, compact, new InMemoryMemberDirectory());
            var referenceEngine = new RewardEngine(rules, Zone, reference, new InMemoryMemberDirectory());
            foreach (var e in log)
            {
                Assert.Equal(await referenceEngine.ProcessAsync(e), await compactEngine.ProcessAsync(e));
            }

            var expected = reference.Snapshot();
            var actual = compact.Snapshot();
            Assert.Equal(RewardScenario.Describe(expected), RewardScenario.Describe(actual));
            Assert.Equal(Describe(referenceEngine.Statistics), Describe(compactEngine.Statistics));
            foreach (var key in expected.SelectMany(g => g.Counters).Select(c => c.Key).Append("budget|b").Append("budget|c").Append("never"))
            {
                Assert.Equal(reference.GetCounter(key), compact.GetCounter(key));
            }

            differentCounts += expected.Count(g => g.Kind == RewardEntryKind.Reversal) > 0 && referenceEngine.Statistics.BudgetExhausted > 0 ? 1 : 0;
        }

        Assert.True(differentCounts > 10, "the logs reach reversals and used-up budgets");
    }

    [Fact]
    public async Task EntryObjectsAppended_EqualTheStringKeyedLedger_OnRandomSequences()
    {
        // The public TryAppend/TryReverse path of the fingerprint ledger, including reversals of compact grants.
        for (var seed = 1; seed <= 60; seed++)
        {
            var random = new Random(seed);
            var compact = new InMemoryRewardLedger();
            var reference = new ReferenceRewardLedger();
            var engine = new RewardEngine(Rules(seed), Zone, compact, new InMemoryMemberDirectory());
            var mirror = new RewardEngine(Rules(seed), Zone, reference, new InMemoryMemberDirectory());
            foreach (var e in RandomLog(seed, 100))
            {
                await engine.ProcessAsync(e);
                await mirror.ProcessAsync(e);
            }

            for (var i = 0; i < 300; i++)
            {
                var keys = reference.Snapshot().Select(g => g.Key).ToArray();
                if (random.Next(3) == 0 && keys.Length > 0)
                {
                    var key = keys[random.Next(keys.Length)];
                    var at = DateTimeOffset.UnixEpoch.AddDays(random.Next(100));
                    Assert.Equal(reference.TryReverse(key, at, $"r{i}"), compact.TryReverse(key, at, $"r{i}"));
                    continue;
                }

                var member = $"m{random.Next(5)}";
                var grant = new RewardLedgerEntry
                {
                    Key = random.Next(4) == 0 && keys.Length > 0 ? keys[random.Next(keys.Length)] : $"k{random.Next(200)}",
                    RuleId = "r",
                    Member = member,
                    EventId = $"e{i}",
                    At = DateTimeOffset.UnixEpoch.AddHours(i),
                    Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1 }],
                    Counters = [new RewardCounter($"cap|{member}", 6, 1, false), new RewardCounter("budget|b", 60, random.Next(1, 4), true)],
                };
                Assert.Equal(reference.TryAppend(grant), compact.TryAppend(grant));
            }

            Assert.Equal(RewardScenario.Describe(reference.Snapshot()), RewardScenario.Describe(compact.Snapshot()));
            foreach (var key in reference.Snapshot().SelectMany(g => g.Counters).Select(c => c.Key).Distinct())
            {
                Assert.Equal(reference.GetCounter(key), compact.GetCounter(key));
            }
        }
    }

    [Fact]
    public async Task Keys_AreTheDocumentedStrings()
    {
        var rules = new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "b", Limit = 100 }],
            Rules =
            [
                RewardScenario.Rule("c", new RewardTrigger { Kind = RewardTriggerKind.Checkin }, new RewardLimits { PerMemberPerDay = 1, PerMemberPerWeek = 5, PerMemberPerMonth = 9, PerMemberEver = 50, RuleTotal = 70 }, "b"),
                RewardScenario.Rule("week", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 1, Period = RewardPeriod.Week }),
                RewardScenario.Rule("day", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 1, Period = RewardPeriod.Day }),
                RewardScenario.Rule("month", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 1, Period = RewardPeriod.Month }),
                RewardScenario.Rule("first", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }),
                RewardScenario.Rule("form", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "form" }),
            ],
        };
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(rules, Zone, ledger, new InMemoryMemberDirectory());
        var at = new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.FromHours(8));
        await engine.ProcessAsync(new CommunityEvent("e1", EventType.Checkin, "g", "m|12", at, task: "daily"));
        await engine.ProcessAsync(new CommunityEvent("e2", EventType.Message, "g", "m|12", at));
        await engine.ProcessAsync(new CommunityEvent("e3", EventType.Order, "g", "m|12", at, amount: 5));
        await engine.ProcessAsync(new CommunityEvent("e|4", EventType.TaskSubmitted, "g", "m|12", at, task: "form"));

        var entries = ledger.Snapshot();
        Assert.Equal(
            ["c|4:m|12|d:2026-11-05", "week|4:m|12|p:w2026-11-02", "day|4:m|12|p:2026-11-05", "month|4:m|12|p:2026-11", "first|4:m|12|first", "form|4:m|12|e:e|4"],
            entries.Select(e => e.Key));
        Assert.Equal(
            ["limit|c|4:m|12|d:2026-11-05", "limit|c|4:m|12|w:2026-11-02", "limit|c|4:m|12|m:2026-11", "limit|c|4:m|12|ever", "total|c", "budget|b"],
            entries[0].Counters.Select(c => c.Key));
        Assert.All(entries[0].Counters, c => Assert.Equal(1, ledger.GetCounter(c.Key)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(12345)]
    public void MemberLength_IsWrittenInDecimal(int length)
    {
        var member = new string('7', length);
        Assert.Equal($"r|{length.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{member}|d:x", RewardEngine.GrantKey("r", member, "d:x"));
    }

    private static string Describe(RewardStatistics s) =>
        $"{s.Events} {s.Grants} {s.AlreadyGranted} {s.BudgetExhausted} {s.LimitReached} {s.Ineligible} {s.Reversals} {s.TooLate}";
}
