using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 6 target: simulated events (CommunitySimulator, about 12 events per member a month) through 50 rules at
/// &gt;= 2M events/s with the in-memory ledger (events/s = Events / Mean). Baseline: a naive engine that re-scans
/// the member's history for every rule, measured here on 100k and 1M events; the 10M events are in
/// <see cref="RewardsEngineScaleBenchmarks"/> (engine only: the baseline would take minutes an operation).
/// </summary>
[MemoryDiagnoser]
public class RewardsEngineBenchmarks
{
    private RewardsWorkload _workload = null!;

    [Params(100_000, 1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => _workload = RewardsBenchmarkData.Workload(Events);

    [Benchmark(Baseline = true)]
    public long NaiveRescanPerRule()
    {
        var naive = new NaiveRewardEngine(_workload.Rules, _workload.Zone, new InMemoryRewardLedger());
        foreach (var e in _workload.Events)
        {
            naive.Process(e);
        }

        return naive.Grants;
    }

    [Benchmark]
    public long RewardEngine_Process() => RewardsBenchmarkData.RunEngine(_workload);

    [Benchmark]
    public long RewardEngine_ProcessBatch() => RewardsBenchmarkData.RunEngineBatch(_workload);
}

/// <summary>The workload: 50 rules of every trigger kind (always-on rules and weekly campaigns), and a month of events.</summary>
internal static class RewardsBenchmarkData
{
    public static RewardRuleSet FiftyRules()
    {
        var rules = new List<RewardRule>();
        var month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        RewardSpec Points(long n) => new() { Kind = RewardKind.Points, Quantity = n };
        RewardSpec Ticket(string draw) => new() { Kind = RewardKind.Tickets, Quantity = 1, Draw = draw };
        void Add(string id, RewardTrigger trigger, RewardSpec reward, RewardLimits? limits = null, string? budget = null, int? week = null) =>
            rules.Add(new RewardRule
            {
                Id = id,
                Trigger = trigger,
                Rewards = [reward],
                Limits = limits ?? new RewardLimits(),
                Budget = budget,
                ActiveFrom = week is { } w ? month.AddDays(7 * w) : null,
                ActiveTo = week is { } w2 ? month.AddDays((7 * w2) + 7) : null,
            });

        // Always on: check-in tickets, streaks, activity counts, orders.
        Add("checkin", new RewardTrigger { Kind = RewardTriggerKind.Checkin }, Ticket("weekly-{week}"), new RewardLimits { PerMemberPerDay = 1 });
        foreach (var k in new[] { 3, 5, 7, 10, 14 })
        {
            Add($"streak-{k}", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = k }, Points(k * 10), budget: "points");
        }

        foreach (var period in new[] { RewardPeriod.Day, RewardPeriod.Week, RewardPeriod.Month })
        {
            foreach (var n in new[] { 5, 10, 20, 50, 100 })
            {
                Add($"messages-{n}-{period}", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = n, Period = period }, Points(n));
            }
        }

        foreach (var n in new[] { 2, 4, 8, 12, 20, 25, 30 })
        {
            Add($"checkins-{n}", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Checkin, Count = n, Period = RewardPeriod.Month }, Points(n));
        }

        Add("lottery-3", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.LotteryEntered, Count = 3, Period = RewardPeriod.Month }, Points(5));
        foreach (var period in new[] { RewardPeriod.Week, RewardPeriod.Month })
        {
            foreach (var amount in new[] { 0L, 5_000, 10_000, 50_000 })
            {
                Add($"orders-{amount}-{period}", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = amount, Period = period }, Ticket("free-order-{month}"));
            }
        }

        Add("first-order", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }, Points(100));

        // Weekly campaigns: double check-in tickets, "form + lottery", share-screenshot points.
        for (var w = 0; w < 2; w++)
        {
            Add($"checkin-bonus-week-{w}", new RewardTrigger { Kind = RewardTriggerKind.Checkin, Task = "daily-checkin" }, Ticket("weekly-{week}"), new RewardLimits { PerMemberPerDay = 1 }, week: w * 2);
        }

        for (var w = 0; w < 5; w++)
        {
            Add($"form-week-{w}", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = w % 2 == 0 ? "suggestion-form" : "signup-form" }, Ticket("weekly-{week}"), new RewardLimits { PerMemberPerWeek = 1 }, week: w);
            Add($"share-week-{w}", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share-screenshot" }, Points(50), new RewardLimits { PerMemberPerDay = 1 }, "points", week: w);
        }

        return new RewardRuleSet { Budgets = [new RewardBudget { Id = "points", Limit = long.MaxValue / 2 }], Rules = rules };
    }

    /// <summary>The 50 rules in Asia/Shanghai over exactly <paramref name="events"/> simulated events.</summary>
    public static RewardsWorkload Workload(int events) =>
        new(FiftyRules(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), Simulated(events, seed: 6));

    /// <summary>The engine with the in-memory ledger and the default directory, one <c>ProcessAsync</c> call an event; returns the grants.</summary>
    public static long RunEngine(RewardsWorkload workload)
    {
        var engine = new RewardEngine(workload.Rules, workload.Zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        foreach (var e in workload.Events)
        {
            engine.ProcessAsync(e).GetAwaiter().GetResult(); // in memory: completes at once
        }

        return engine.Statistics.Grants;
    }

    /// <summary>As <see cref="RunEngine"/> with the whole workload in one <c>ProcessBatch</c> call (the ledger written on a second thread).</summary>
    public static long RunEngineBatch(RewardsWorkload workload)
    {
        var engine = new RewardEngine(workload.Rules, workload.Zone, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        engine.ProcessBatch(workload.Events);
        return engine.Statistics.Grants;
    }

    /// <summary>
    /// Exactly <paramref name="count"/> simulated events, in time order (instant, then id): the first of a month of a
    /// community of <c>count / 9</c> members (the simulator gives about 9.2 events a member a month).
    /// </summary>
    public static CommunityEvent[] Simulated(int count, int seed)
    {
        var options = new CommunityFunnel.Simulation.SimulationOptions { Members = Math.Max(1, count / 9), Days = 30, Seed = (ulong)seed };
        var events = CommunityFunnel.Simulation.CommunitySimulator.Generate(options).Take(count).ToArray();
        if (events.Length != count)
        {
            throw new InvalidOperationException($"The simulation gave {events.Length} events, not {count}.");
        }

        Array.Sort(events, static (a, b) => a.AtUtcTicks != b.AtUtcTicks ? a.AtUtcTicks.CompareTo(b.AtUtcTicks) : string.CompareOrdinal(a.Id, b.Id));
        return events;
    }

    /// <summary>
    /// <paramref name="count"/> events over 30 days in time order: joins first, then 85% messages, 8% check-ins, 2% orders,
    /// 2% form submissions, 3% reviews (about one grant per 12 events through the 50 rules).
    /// </summary>
    public static CommunityEvent[] Events(int count, int members, int seed)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, members).Select(i => $"member-{i}").ToArray();
        var tasks = new[] { "daily-1", "daily-2", "form-0", "form-1", "form-2", "form-3", "form-4", "share-0", "share-1", "share-2", "share-3", "share-4" };
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var step = TimeSpan.FromDays(30).Ticks / count;
        var events = new CommunityEvent[count];
        for (var i = 0; i < count; i++)
        {
            var at = start.AddTicks(step * i);
            var id = "e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i < members && i < count / 10)
            {
                events[i] = new CommunityEvent(id, EventType.Joined, "g", names[i], at, channel: "poster");
                continue;
            }

            var member = names[random.Next(members)];
            var roll = random.Next(1_000);
            events[i] = roll switch
            {
                < 850 => new CommunityEvent(id, EventType.Message, "g", member, at),
                < 930 => new CommunityEvent(id, EventType.Checkin, "g", member, at, task: roll < 910 ? "daily" : tasks[random.Next(2)]),
                < 950 => new CommunityEvent(id, EventType.Order, "g", member, at, amount: random.Next(20_000)),
                < 970 => new CommunityEvent(id, EventType.TaskSubmitted, "g", member, at, task: tasks[2 + random.Next(10)]),
                < 995 => new CommunityEvent(id, EventType.TaskApproved, "g", member, at, task: tasks[7 + random.Next(5)]),
                _ => new CommunityEvent(id, EventType.TaskRejected, "g", member, at, task: tasks[7 + random.Next(5)]),
            };
        }

        return events;
    }
}

/// <summary>
/// The baseline: keeps every member's history and, for every event, evaluates every rule by re-scanning it
/// (no index by event type, no compact state). Same keys and ledger as the engine for these rules.
/// </summary>
internal sealed class NaiveRewardEngine(RewardRuleSet rules, TimeZoneInfo zone, InMemoryRewardLedger ledger)
{
    private readonly Dictionary<string, List<CommunityEvent>> _history = new(StringComparer.Ordinal);
    private readonly HashSet<string> _staffAndBots = new(StringComparer.Ordinal);

    public long Grants { get; private set; }

    public void Process(CommunityEvent e)
    {
        if (!_history.TryGetValue(e.Member, out var history))
        {
            _history[e.Member] = history = [];
        }

        history.Add(e);
        if (e.Type == EventType.Joined && e.EffectiveRole != MemberRole.Member)
        {
            _staffAndBots.Add(e.Member);
        }

        var day = LocalCalendar.LocalDate(e.At, zone);
        foreach (var rule in rules.Rules)
        {
            var t = rule.Trigger;
            if ((t.Task is not null && t.Task != e.Task) || e.At < (rule.ActiveFrom ?? DateTimeOffset.MinValue) || e.At >= (rule.ActiveTo ?? DateTimeOffset.MaxValue))
            {
                continue;
            }

            string? unit = t.Kind switch
            {
                RewardTriggerKind.Checkin when e.Type == EventType.Checkin
                    && !history.Take(history.Count - 1).Any(h => h.Type == EventType.Checkin && (t.Task is null || h.Task == t.Task) && LocalCalendar.LocalDate(h.At, zone) == day)
                    => "d:" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                RewardTriggerKind.Streak when e.Type == EventType.Checkin && Streak(history, day) % t.Count == 0 && FirstCheckinOfDay(history, day)
                    => "s:" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                RewardTriggerKind.Count when e.Type == t.Event && CountInPeriod(history, t, day) == t.Count => "p:" + Period(day, t.Period),
                RewardTriggerKind.OrderTotal when e.Type == EventType.Order && OrderTotalReached(history, t, day) => "p:" + Period(day, t.Period),
                RewardTriggerKind.FirstOrder when e.Type == EventType.Order && history.Count(h => h.Type == EventType.Order) == 1 => "first",
                RewardTriggerKind.Submitted when e.Type == EventType.TaskSubmitted => "e:" + e.Id,
                RewardTriggerKind.Approved when e.Type == EventType.TaskApproved => "e:" + e.Id,
                _ => null,
            };

            if (t.Kind == RewardTriggerKind.Approved && e.Type == EventType.TaskRejected)
            {
                foreach (var approval in history.Where(h => h.Type == EventType.TaskApproved && h.Task == e.Task))
                {
                    ledger.TryReverse(RewardEngine.GrantKey(rule.Id, e.Member, "e:" + approval.Id), e.At, e.Id);
                }
            }

            if (unit is null || _staffAndBots.Contains(e.Member))
            {
                continue;
            }

            var counters = new List<RewardCounter>();
            if (rule.Limits.PerMemberPerDay is { } perDay)
            {
                counters.Add(new($"limit|{rule.Id}|{e.Member}|d:{day}", perDay, 1, false));
            }

            if (rule.Limits.PerMemberPerWeek is { } perWeek)
            {
                counters.Add(new($"limit|{rule.Id}|{e.Member}|w:{LocalCalendar.WeekStart(day)}", perWeek, 1, false));
            }

            if (rule.Budget is { } budget)
            {
                counters.Add(new("budget|" + budget, rules.Budgets.First(b => b.Id == budget).Limit, rule.Rewards.Sum(r => r.Quantity * r.Cost), true));
            }

            var result = ledger.TryAppend(new RewardLedgerEntry
            {
                Key = RewardEngine.GrantKey(rule.Id, e.Member, unit),
                RuleId = rule.Id,
                Member = e.Member,
                At = e.At,
                EventId = e.Id,
                Rewards = rule.Rewards.Select(r => r.Draw is null ? r : r with { Draw = DrawIdPlaceholders.Resolve(r.Draw, day) }).ToList(),
                Counters = counters,
            });
            if (result == RewardAppendResult.Granted)
            {
                Grants++;
            }
        }
    }

    private bool FirstCheckinOfDay(List<CommunityEvent> history, DateOnly day) =>
        history.Count(h => h.Type == EventType.Checkin && LocalCalendar.LocalDate(h.At, zone) == day) == 1;

    private int Streak(List<CommunityEvent> history, DateOnly day)
    {
        var days = history.Where(h => h.Type == EventType.Checkin).Select(h => LocalCalendar.LocalDate(h.At, zone)).ToHashSet();
        var n = 0;
        while (days.Contains(day.AddDays(-n)))
        {
            n++;
        }

        return n;
    }

    private int CountInPeriod(List<CommunityEvent> history, RewardTrigger t, DateOnly day) =>
        history.Count(h => h.Type == t.Event && (t.Task is null || h.Task == t.Task) && Period(LocalCalendar.LocalDate(h.At, zone), t.Period) == Period(day, t.Period));

    private bool OrderTotalReached(List<CommunityEvent> history, RewardTrigger t, DateOnly day)
    {
        var period = Period(day, t.Period);
        var inPeriod = history.Where(h => h.Type == EventType.Order && Period(LocalCalendar.LocalDate(h.At, zone), t.Period) == period).ToList();
        var before = inPeriod.Take(inPeriod.Count - 1).Sum(h => h.Amount!.Value);
        return (inPeriod.Count == 1 || before < t.Amount) && before + inPeriod[^1].Amount!.Value >= t.Amount;
    }

    private static string Period(DateOnly day, RewardPeriod period) => period switch
    {
        RewardPeriod.Day => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        RewardPeriod.Week => "w" + LocalCalendar.WeekStart(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>What the reward engine benchmarks run: rules, their time zone, events in time order.</summary>
internal sealed record RewardsWorkload(RewardRuleSet Rules, TimeZoneInfo Zone, CommunityEvent[] Events);
