using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>
/// <see cref="IRewardEngine.ProcessBatchAsync"/> (sequential for small batches, the in-memory ledger written on a
/// second thread for large ones, a host's ledger awaited in order) gives the same grants, ledger (contents and
/// order), counters and statistics as one <see cref="IRewardEngine.ProcessAsync"/> call per event, on random logs in
/// random order with caps, budgets, reversals and eligibility; and a failing host ledger loses nothing.
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
                Rule("orders", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 3_000, Period = RewardPeriod.Month }, new RewardLimits { PerMemberPerMonth = 1 }, "b", new RewardEligibility { States = [MembershipState.InGroup] }),
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
    public async Task ProcessBatch_EqualsOneProcessPerEvent_OnRandomLogs(bool compactLedger)
    {
        var pipelined = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var rules = Rules(seed);
            var log = RandomLog(seed, 1_500);
            IRewardLedger NewLedger() => compactLedger ? new InMemoryRewardLedger() : new ReferenceRewardLedger();
            var expectedLedger = NewLedger();
            var one = new RewardEngine(rules, Zone, expectedLedger, new InMemoryMemberDirectory());
            var expectedAppended = await ProcessEach(one, log);

            // Batches of random sizes; a low threshold sends most of them (and every seed's long ones) through the pipeline.
            var random = new Random(seed);
            var actualLedger = NewLedger();
            var batch = new RewardEngine(rules, Zone, actualLedger, new InMemoryMemberDirectory()) { PipelineMinBatch = 16 };
            var actualAppended = 0;
            for (var start = 0; start < log.Count;)
            {
                var size = Math.Min(log.Count - start, random.Next(3) == 0 ? random.Next(1, 16) : random.Next(16, 700));
                actualAppended += await batch.ProcessBatchAsync(log.GetRange(start, size));
                start += size;
            }

            Assert.Equal(expectedAppended, actualAppended);
            var expected = await expectedLedger.GetEntriesAsync(CancellationToken.None);
            Assert.Equal(RewardScenario.Describe(expected), RewardScenario.Describe(await actualLedger.GetEntriesAsync(CancellationToken.None)));
            Assert.Equal(Describe(one.Statistics), Describe(batch.Statistics));
            foreach (var key in expected.SelectMany(g => g.Counters).Select(c => c.Key).Distinct())
            {
                Assert.Equal(await expectedLedger.GetCounterAsync(key, CancellationToken.None), await actualLedger.GetCounterAsync(key, CancellationToken.None));
            }

            Assert.True(one.Statistics.Reversals > 0 && one.Statistics.Ineligible > 0 && one.Statistics.LimitReached > 0, Describe(one.Statistics));
            pipelined += batch.PipelinedBatches;
        }

        // The in-memory ledger takes the second thread; the test's own ledger, host code, never does.
        Assert.True(compactLedger ? pipelined > 100 : pipelined == 0, $"{pipelined} pipelined batches");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProcessReportingGrants_EqualsProcess_ReportsEachEventsGrants_AndAfterAFailingReportHandsThemOverAgain(bool compactLedger)
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var rules = Rules(seed);
            var log = RandomLog(seed, 1_000);
            IRewardLedger NewLedger() => compactLedger ? new InMemoryRewardLedger() : new ReferenceRewardLedger();
            var expectedLedger = NewLedger();
            var one = new RewardEngine(rules, Zone, expectedLedger, new InMemoryMemberDirectory());
            await ProcessEach(one, log);

            // Every report is checked against a plain reference: the ledger's grants whose keys it names.
            var random = new Random(seed);
            var actualLedger = NewLedger();
            var reporting = new RewardEngine(rules, Zone, actualLedger, new InMemoryMemberDirectory());
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var retried = 0;
            foreach (var e in log)
            {
                List<string>? first = null;
                if (random.Next(10) == 0)
                {
                    await Assert.ThrowsAsync<IOException>(() => reporting.ProcessWithGrantsAsync(e, (g, _) =>
                    {
                        first = g.Select(x => x.Key).ToList();
                        throw new IOException("the outbox went away");
                    }, CancellationToken.None));
                }

                List<string>? keys = null;
                await reporting.ProcessWithGrantsAsync(e, (g, _) =>
                {
                    keys = g.Select(x => x.Key).ToList();
                    return Task.CompletedTask;
                }, CancellationToken.None);
                Assert.NotNull(keys);
                if (first is not null)
                {
                    Assert.Equal(first, keys); // processed again, the same grants are handed over, none granted twice
                    retried += first.Count;
                }

                var ledger = (await actualLedger.GetEntriesAsync(CancellationToken.None)).Where(x => x.Kind == RewardEntryKind.Grant).ToDictionary(x => x.Key, StringComparer.Ordinal);
                Assert.All(keys!, k => Assert.True(ledger.ContainsKey(k), k));
                reported.UnionWith(keys!);
            }

            var expected = await expectedLedger.GetEntriesAsync(CancellationToken.None);
            Assert.Equal(RewardScenario.Describe(expected), RewardScenario.Describe(await actualLedger.GetEntriesAsync(CancellationToken.None)));
            Assert.Equal(expected.Where(x => x.Kind == RewardEntryKind.Grant).Select(x => x.Key).Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
            Assert.True(retried > 0 || seed % 3 == 0, $"seed {seed}: no failed report had grants");
        }
    }

    [Fact]
    public async Task ABatchWithAHostsLedgerAndDirectory_CallsThemOnlyOnTheCallersThread_InOrder()
    {
        var rules = Rules(1);
        var log = RandomLog(7, 20_000).ToArray();
        var threads = new HashSet<int>();
        var ledger = new RecordingLedger(new InMemoryRewardLedger(), threads);
        var directory = new RecordingDirectory(new InMemoryMemberDirectory(), threads);
        var expected = new InMemoryRewardLedger();
        var one = new RewardEngine(rules, Zone, expected, new InMemoryMemberDirectory());
        var expectedAppended = log.Sum(one.Process);
        var engine = new RewardEngine(rules, Zone, ledger, directory) { PipelineMinBatch = 16 };

        // The recording ledger completes at once, so no await yields: every call is on the test's own thread.
        var appended = await engine.ProcessBatchAsync(log);

        Assert.Equal(expectedAppended, appended);
        Assert.Equal([Environment.CurrentManagedThreadId], threads);
        Assert.Equal(0, engine.PipelinedBatches);
        Assert.Equal(RewardScenario.Describe(expected.Snapshot()), RewardScenario.Describe(await ledger.GetEntriesAsync(CancellationToken.None)));

        // The library's own in-memory pair may use the second thread for the same batch.
        var inMemory = new RewardEngine(rules, Zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory()) { PipelineMinBatch = 16 };
        Assert.Equal(expectedAppended, await inMemory.ProcessBatchAsync(log));
        Assert.Equal(1, inMemory.PipelinedBatches);

        // The synchronous path is the in-memory engines' only: with a host's ledger it refuses.
        Assert.Throws<InvalidOperationException>(() => engine.ProcessBatch(log.AsSpan(0, 1)));
    }

    [Fact]
    public async Task AHostsLedgerThatYields_IsAwaitedOneCallAtATime_InOrder_EvenFromManyCallers()
    {
        var rules = Rules(2);
        var log = RandomLog(11, 3_000);
        var expected = new InMemoryRewardLedger();
        new RewardEngine(rules, Zone, expected, new InMemoryMemberDirectory()).ProcessBatch(log.ToArray());
        var ledger = new YieldingLedger(new InMemoryRewardLedger());
        var engine = new RewardEngine(rules, Zone, ledger, new InMemoryMemberDirectory());

        // Four callers at once, each with a quarter of the log in order: one event at a time enters the engine.
        var parts = log.Chunk(750).ToArray();
        await Task.WhenAll(parts.Select(part => Task.Run(async () =>
        {
            foreach (var e in part)
            {
                await engine.ProcessAsync(e);
            }
        })));

        Assert.Equal(1, ledger.MaxInFlight);
        Assert.Equal(log.Count, engine.Statistics.Events);

        // In one batch the calls come in the log's order: the same ledger, entry for entry.
        var ordered = new YieldingLedger(new InMemoryRewardLedger());
        await new RewardEngine(rules, Zone, ordered, new InMemoryMemberDirectory()).ProcessBatchAsync(log);
        Assert.Equal(1, ordered.MaxInFlight);
        Assert.Equal(RewardScenario.Describe(expected.Snapshot()), RewardScenario.Describe(await ordered.GetEntriesAsync(CancellationToken.None)));
    }

    /// <summary>Records the threads it is called on; answers through the in-memory ledger.</summary>
    private sealed class RecordingLedger(IRewardLedger inner, HashSet<int> threads) : IRewardLedger
    {
        public Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
        {
            Record(threads);
            return inner.TryAppendAsync(grant, cancellationToken);
        }

        public Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken)
        {
            Record(threads);
            return inner.TryReverseAsync(grantKey, at, eventId, cancellationToken);
        }

        public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken) => inner.GetCounterAsync(counterKey, cancellationToken);

        public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken) => inner.GetEntriesAsync(cancellationToken);
    }

    private sealed class RecordingDirectory(IMemberDirectory inner, HashSet<int> threads) : IMemberDirectory
    {
        public Task ObserveAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
        {
            Record(threads);
            return inner.ObserveAsync(communityEvent, cancellationToken);
        }

        public Task<MemberFacts?> FindAsync(string member, CancellationToken cancellationToken)
        {
            Record(threads);
            return inner.FindAsync(member, cancellationToken);
        }
    }

    private static void Record(HashSet<int> threads)
    {
        lock (threads)
        {
            threads.Add(Environment.CurrentManagedThreadId);
        }
    }

    [Fact]
    public void ProcessBatch_OfTheBenchmarkSize_EqualsOneProcessPerEvent()
    {
        // The default threshold (a second thread from 4096 events when there are two processors).
        var rules = Rules(1);
        var log = RandomLog(7, 20_000).ToArray();
        var expectedLedger = new InMemoryRewardLedger();
        var one = new RewardEngine(rules, Zone, expectedLedger, new InMemoryMemberDirectory());
        var expectedAppended = log.Sum(one.Process);
        var actualLedger = new InMemoryRewardLedger();
        var batch = new RewardEngine(rules, Zone, actualLedger, new InMemoryMemberDirectory());

        Assert.Equal(expectedAppended, batch.ProcessBatch(log));
        Assert.Equal(RewardScenario.Describe(expectedLedger.Snapshot()), RewardScenario.Describe(actualLedger.Snapshot()));
        Assert.Equal(Describe(one.Statistics), Describe(batch.Statistics));
    }

    [Fact]
    public async Task AFailingHostLedger_UndoesTheEvent_SoThatProcessingItAgainLosesNoGrant()
    {
        // Wherever the one failure falls (a check-in, a count reaching its threshold, a streak, a review), processing
        // the failed event again and then the rest gives the ledger of a run that never failed.
        var rules = Rules(2);
        var log = RandomLog(3, 2_000);
        var reference = new InMemoryRewardLedger();
        new RewardEngine(rules, Zone, reference, new InMemoryMemberDirectory()).ProcessBatch(log.ToArray());
        var appends = reference.Snapshot().Count(e => e.Kind == RewardEntryKind.Grant);
        var failed = 0;
        var runs = 0;
        for (var throwAt = 1; throwAt < appends; throwAt += 1 + (appends / 40))
        {
            runs++;
            var ledger = new ThrowingLedger(new InMemoryRewardLedger(), throwAt);
            var engine = new RewardEngine(rules, Zone, ledger, new InMemoryMemberDirectory());
            var next = 0;
            while (next < log.Count)
            {
                try
                {
                    await engine.ProcessAsync(log[next]);
                    next++;
                }
                catch (InvalidOperationException e) when (e.Message == $"append {throwAt}")
                {
                    failed++; // the same event is processed again
                }
            }

            Assert.Equal(RewardScenario.Describe(reference.Snapshot()), RewardScenario.Describe(await ledger.GetEntriesAsync(CancellationToken.None)));
            foreach (var key in reference.Snapshot().SelectMany(g => g.Counters).Select(c => c.Key).Distinct())
            {
                Assert.Equal(reference.GetCounter(key), await ledger.GetCounterAsync(key, CancellationToken.None));
            }
        }

        Assert.Equal(runs, failed); // each run failed once, at its own append
        Assert.True(runs >= 30, $"{runs} runs");
    }

    [Fact]
    public async Task AFailedOrCancelledBatch_StopsAtAnEvent_AndTheEngineStaysUsable()
    {
        var rules = Rules(2);
        var log = RandomLog(3, 3_000);
        var ledger = new ThrowingLedger(new InMemoryRewardLedger(), throwAt: 200);
        var engine = new RewardEngine(rules, Zone, ledger, new InMemoryMemberDirectory()) { PipelineMinBatch = 16 };

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.ProcessBatchAsync(log));
        Assert.Equal("append 200", thrown.Message);
        Assert.Equal(200, ledger.Appends); // none after the failing one
        Assert.Equal(0, engine.PipelinedBatches);

        // Released: the next call runs.
        await engine.ProcessAsync(log[0]);

        // Cancelled before it starts: nothing processed, the engine released again.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var events = engine.Statistics.Events;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ProcessBatchAsync(log, cancelled.Token));
        var inMemory = new RewardEngine(rules, Zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory()) { PipelineMinBatch = 16 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inMemory.ProcessBatchAsync(log, cancelled.Token));
        Assert.Equal(events, engine.Statistics.Events);
        Assert.Equal(0, inMemory.Statistics.Events);
        Assert.Equal(0, await engine.ProcessBatchAsync([]));
    }

    [Fact]
    public void ProcessBatch_ChecksForNullEventsBeforeProcessingAny()
    {
        var engine = new RewardEngine(Rules(1), Zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        var log = RandomLog(1, 10).ToArray();
        log[7] = null!;

        Assert.Throws<ArgumentException>(() => engine.ProcessBatch(log));
        Assert.Equal(0, engine.Statistics.Events);
    }

    private static async Task<int> ProcessEach(RewardEngine engine, IEnumerable<CommunityEvent> log)
    {
        var appended = 0;
        foreach (var e in log)
        {
            appended += await engine.ProcessAsync(e);
        }

        return appended;
    }

    private static string Describe(RewardStatistics s) =>
        $"{s.Events} {s.Grants} {s.AlreadyGranted} {s.BudgetExhausted} {s.LimitReached} {s.Ineligible} {s.Reversals} {s.TooLate}";

    /// <summary>A ledger whose <c>throwAt</c>-th append throws, once; the others go to the inner ledger.</summary>
    private sealed class ThrowingLedger(IRewardLedger inner, int throwAt) : IRewardLedger
    {
        private int _appends;

        public int Appends => _appends;

        public Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
        {
            if (++_appends == throwAt)
            {
                throw new InvalidOperationException($"append {throwAt}");
            }

            return inner.TryAppendAsync(grant, cancellationToken);
        }

        public Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken) =>
            inner.TryReverseAsync(grantKey, at, eventId, cancellationToken);

        public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken) => inner.GetCounterAsync(counterKey, cancellationToken);

        public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken) => inner.GetEntriesAsync(cancellationToken);
    }

    /// <summary>A host ledger that really yields on every call (as a database does) and records how many calls overlap.</summary>
    private sealed class YieldingLedger(IRewardLedger inner) : IRewardLedger
    {
        private int _inFlight;

        public int MaxInFlight { get; private set; }

        public async Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
        {
            Enter();
            await Task.Yield();
            try
            {
                return await inner.TryAppendAsync(grant, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public async Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken)
        {
            Enter();
            await Task.Yield();
            try
            {
                return await inner.TryReverseAsync(grantKey, at, eventId, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken) => inner.GetCounterAsync(counterKey, cancellationToken);

        public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken) => inner.GetEntriesAsync(cancellationToken);

        private void Enter()
        {
            var now = Interlocked.Increment(ref _inFlight);
            lock (this)
            {
                MaxInFlight = Math.Max(MaxInFlight, now);
            }
        }
    }
}
