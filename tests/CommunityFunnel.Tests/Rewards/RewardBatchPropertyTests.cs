using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>
/// <see cref="IRewardEngine.ProcessBatch"/> (sequential for small batches, the ledger written on a second thread for
/// large ones) gives the same grants, ledger (contents and order), counters and statistics as one
/// <see cref="IRewardEngine.Process"/> call per event, on random logs in random order with caps, budgets,
/// reversals and eligibility.
/// </summary>
public sealed class RewardBatchPropertyTests
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");

    private static RewardRuleSet Rules(int seed)
    {
        var budget = seed % 3 == 0 ? 120 : 100_000;
        RewardRule Rule(string id, RewardTrigger trigger, RewardLimits? limits = null, string? b = null, RewardEligibility? eligibility = null) => new()
        {
            Id = id,
            Trigger = trigger,
            Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 2, Cost = 3 }, new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = "d-{week}" }],
            Limits = limits ?? new RewardLimits(),
            Budget = b,
            Eligibility = eligibility ?? new RewardEligibility(),
        };

        return new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "b", Limit = budget }],
            Rules =
            [
                Rule("checkin", new RewardTrigger { Kind = RewardTriggerKind.Checkin }, new RewardLimits { PerMemberPerDay = 1, PerMemberPerWeek = 4 }, "b"),
                Rule("streak3", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 3 }, new RewardLimits { PerMemberEver = 3 }, "b"),
                Rule("msgs-day", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 2, Period = RewardPeriod.Day }, eligibility: new RewardEligibility { ExcludeStaffAndBots = true }),
                Rule("msgs-week", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 3, Period = RewardPeriod.Week }, new RewardLimits { RuleTotal = 30 }),
                Rule("orders", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 3_000, Period = RewardPeriod.Month }, new RewardLimits { PerMemberPerMonth = 1 }, "b", new RewardEligibility { States = [RewardMemberState.InGroup] }),
                Rule("first", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }, eligibility: new RewardEligibility { Channels = ["poster"] }),
                Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }, new RewardLimits { PerMemberPerDay = 1, RuleTotal = 40 }, "b"),
                Rule("form", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "form" }, new RewardLimits { PerMemberPerWeek = 1 }),
            ],
        };
    }

    /// <summary>Events in random order (late ones, rejections before approvals, repeated ids) with joins (some staff, some by poster) and leaves.</summary>
    private static List<CommunityEvent> RandomLog(int seed, int count)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var member = "m" + random.Next(40);
            var at = start.AddMinutes(random.Next(60 * 24 * 50));
            var id = random.Next(20) == 0 && i > 0 ? events[random.Next(i)].Id : $"e{seed}-{i}";
            events.Add(random.Next(12) switch
            {
                0 => new CommunityEvent(id, EventType.Joined, "g", member, at, channel: random.Next(2) == 0 ? "poster" : "link", role: random.Next(5) == 0 ? MemberRole.Staff : MemberRole.Member),
                1 => new CommunityEvent(id, EventType.Left, "g", member, at),
                _ => RewardScenario.RandomEvent(random, id, member, at, maxAmount: 2_000),
            });
        }

        return events;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ProcessBatch_EqualsOneProcessPerEvent_OnRandomLogs(bool compactLedger)
    {
        var pipelined = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var rules = Rules(seed);
            var log = RandomLog(seed, 1_500);
            IRewardLedger NewLedger() => compactLedger ? new InMemoryRewardLedger() : new ReferenceRewardLedger();
            var expectedLedger = NewLedger();
            var one = new RewardEngine(rules, Zone, expectedLedger, new EventRewardMemberDirectory());
            var expectedAppended = log.Sum(one.Process);

            // Batches of random sizes; a low threshold sends most of them (and every seed's long ones) through the pipeline.
            var random = new Random(seed);
            var actualLedger = NewLedger();
            var batch = new RewardEngine(rules, Zone, actualLedger, new EventRewardMemberDirectory()) { PipelineMinBatch = 16 };
            var actualAppended = 0;
            for (var start = 0; start < log.Count;)
            {
                var size = Math.Min(log.Count - start, random.Next(3) == 0 ? random.Next(1, 16) : random.Next(16, 700));
                actualAppended += batch.ProcessBatch(log.GetRange(start, size).ToArray());
                start += size;
            }

            Assert.Equal(expectedAppended, actualAppended);
            var expected = expectedLedger.Snapshot();
            Assert.Equal(RewardScenario.Describe(expected), RewardScenario.Describe(actualLedger.Snapshot()));
            Assert.Equal(Describe(one.Statistics), Describe(batch.Statistics));
            foreach (var key in expected.SelectMany(g => g.Counters).Select(c => c.Key).Distinct())
            {
                Assert.Equal(expectedLedger.GetCounter(key), actualLedger.GetCounter(key));
            }

            Assert.True(one.Statistics.Reversals > 0 && one.Statistics.Ineligible > 0 && one.Statistics.LimitReached > 0, Describe(one.Statistics));
            pipelined += batch.PipelinedBatches;
        }

        // The in-memory ledger takes the second thread; the test's own ledger, host code, never does.
        Assert.True(compactLedger ? pipelined > 100 : pipelined == 0, $"{pipelined} pipelined batches");
    }

    [Fact]
    public void ABatchWithAHostsLedgerAndDirectory_CallsThemOnlyOnTheCallersThread_InOrder()
    {
        var rules = Rules(1);
        var log = RandomLog(7, 20_000).ToArray();
        var threads = new HashSet<int>();
        var ledger = new RecordingLedger(new InMemoryRewardLedger(), threads);
        var directory = new RecordingDirectory(new EventRewardMemberDirectory(), threads);
        var expected = new InMemoryRewardLedger();
        var one = new RewardEngine(rules, Zone, expected, new EventRewardMemberDirectory());
        var expectedAppended = log.Sum(one.Process);
        var engine = new RewardEngine(rules, Zone, ledger, directory) { PipelineMinBatch = 16 };

        var appended = engine.ProcessBatch(log);

        Assert.Equal(expectedAppended, appended);
        Assert.Equal([Environment.CurrentManagedThreadId], threads);
        Assert.Equal(0, engine.PipelinedBatches);
        Assert.Equal(RewardScenario.Describe(expected.Snapshot()), RewardScenario.Describe(ledger.Snapshot()));

        // The library's own in-memory pair may use the second thread for the same batch.
        var inMemory = new RewardEngine(rules, Zone, new InMemoryRewardLedger(), new EventRewardMemberDirectory()) { PipelineMinBatch = 16 };
        Assert.Equal(expectedAppended, inMemory.ProcessBatch(log));
        Assert.Equal(1, inMemory.PipelinedBatches);
    }

    private sealed class RecordingLedger(IRewardLedger inner, HashSet<int> threads) : IRewardLedger
    {
        public RewardAppendResult TryAppend(RewardLedgerEntry grant)
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            return inner.TryAppend(grant);
        }

        public RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId)
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            return inner.TryReverse(grantKey, at, eventId);
        }

        public long GetCounter(string counterKey) => inner.GetCounter(counterKey);

        public IReadOnlyList<RewardLedgerEntry> Snapshot() => inner.Snapshot();
    }

    private sealed class RecordingDirectory(IRewardMemberDirectory inner, HashSet<int> threads) : IRewardMemberDirectory
    {
        public void Observe(CommunityEvent communityEvent)
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            inner.Observe(communityEvent);
        }

        public RewardMemberFacts? Find(string member)
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            return inner.Find(member);
        }
    }

    [Fact]
    public void ProcessBatch_OfTheBenchmarkSize_EqualsOneProcessPerEvent()
    {
        // The default threshold (a second thread from 4096 events when there are two processors).
        var rules = Rules(1);
        var log = RandomLog(7, 20_000).ToArray();
        var expectedLedger = new InMemoryRewardLedger();
        var one = new RewardEngine(rules, Zone, expectedLedger, new EventRewardMemberDirectory());
        var expectedAppended = log.Sum(one.Process);
        var actualLedger = new InMemoryRewardLedger();
        var batch = new RewardEngine(rules, Zone, actualLedger, new EventRewardMemberDirectory());

        Assert.Equal(expectedAppended, batch.ProcessBatch(log));
        Assert.Equal(RewardScenario.Describe(expectedLedger.Snapshot()), RewardScenario.Describe(actualLedger.Snapshot()));
        Assert.Equal(Describe(one.Statistics), Describe(batch.Statistics));
    }

    [Fact]
    public void ProcessBatch_RethrowsTheLedgersException_AndTheEngineStaysUsable()
    {
        var rules = Rules(2);
        var log = RandomLog(3, 3_000).ToArray();
        var ledger = new ThrowingLedger(new InMemoryRewardLedger(), throwAt: 200);
        var engine = new RewardEngine(rules, Zone, ledger, new EventRewardMemberDirectory()) { PipelineMinBatch = 16 };

        var thrown = Assert.Throws<InvalidOperationException>(() => engine.ProcessBatch(log));
        Assert.Equal("append 200", thrown.Message);

        // Everything written before the failing append is as one Process per event wrote it.
        var expected = new ThrowingLedger(new InMemoryRewardLedger(), throwAt: 200);
        var one = new RewardEngine(rules, Zone, expected, new EventRewardMemberDirectory());
        Assert.Throws<InvalidOperationException>(() => Array.ForEach(log, e => one.Process(e)));
        Assert.Equal(RewardScenario.Describe(expected.Snapshot()), RewardScenario.Describe(ledger.Snapshot()));
        Assert.NotEmpty(ledger.Snapshot());

        // The engine is released and writes on the caller's thread again.
        Assert.Equal(0, engine.ProcessBatch(log.AsSpan(0, 1)));
    }

    [Fact]
    public void ProcessBatch_ChecksForNullEventsBeforeProcessingAny()
    {
        var engine = new RewardEngine(Rules(1), Zone, new InMemoryRewardLedger(), new EventRewardMemberDirectory());
        var log = RandomLog(1, 10).ToArray();
        log[7] = null!;

        Assert.Throws<ArgumentException>(() => engine.ProcessBatch(log));
        Assert.Equal(0, engine.Statistics.Events);
    }

    private static string Describe(RewardStatistics s) =>
        $"{s.Events} {s.Grants} {s.AlreadyGranted} {s.BudgetExhausted} {s.LimitReached} {s.Ineligible} {s.Reversals} {s.TooLate}";

    /// <summary>A ledger whose <c>throwAt</c>-th append throws (grants after it are refused as already granted, so the test needs no second failure).</summary>
    private sealed class ThrowingLedger(IRewardLedger inner, int throwAt) : IRewardLedger
    {
        private int _appends;

        public RewardAppendResult TryAppend(RewardLedgerEntry grant)
        {
            if (++_appends == throwAt)
            {
                throw new InvalidOperationException($"append {throwAt}");
            }

            return _appends > throwAt ? RewardAppendResult.AlreadyGranted : inner.TryAppend(grant);
        }

        public RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId) => inner.TryReverse(grantKey, at, eventId);

        public long GetCounter(string counterKey) => inner.GetCounter(counterKey);

        public IReadOnlyList<RewardLedgerEntry> Snapshot() => inner.Snapshot();
    }
}
