using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>Seeded random logs: arrival order and repetition do not change the ledger, and it matches a naive reference.</summary>
public sealed class RewardReplayPropertyTests
{
    private static readonly TimeZoneInfo Zone = TimeZones.Find("Asia/Shanghai", "zone");
    private static readonly DateTimeOffset AsOf = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RewardRuleSet Rules(bool withBudgets) => new()
    {
        Budgets = withBudgets ? [new RewardBudget { Id = "b", Limit = 40 }] : [],
        Rules =
        [
            RewardScenario.Rule("checkin", new RewardTrigger { Kind = RewardTriggerKind.Checkin }),
            RewardScenario.Rule("streak3", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 3 }, budget: withBudgets ? "b" : null),
            RewardScenario.Rule("msgs4", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 4, Period = RewardPeriod.Week }),
            RewardScenario.Rule("orders", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 5_000 }, withBudgets ? new RewardLimits { RuleTotal = 7 } : null),
            RewardScenario.Rule("first", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }),
            RewardScenario.Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }, budget: withBudgets ? "b" : null),
            RewardScenario.Rule("form", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "form" }, new RewardLimits { PerMemberPerWeek = 1 }),
        ],
    };

    private static List<CommunityEvent> RandomLog(int seed, int count)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var member = $"m{random.Next(6)}";
            var at = start.AddMinutes(random.Next(60 * 24 * 45));
            var id = $"e{seed}-{i}";
            events.Add(RewardScenario.RandomEvent(random, id, member, at, maxAmount: 4_000));
        }

        return events;
    }

    [Fact]
    public async Task ShuffledAndRepeated_GiveTheSameLedger()
    {
        for (var seed = 1; seed <= 120; seed++)
        {
            var log = RandomLog(seed, 150);
            var rules = Rules(withBudgets: seed % 2 == 0);
            var expected = RewardScenario.Describe(RewardReplay.Run(log, rules, AsOf).Ledger);

            var shuffled = log.ToList();
            new Random(seed * 7919).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
            var ledger = new InMemoryRewardLedger();
            await RewardReplay.RunAsync(shuffled.Concat(shuffled.Take(40)), rules, AsOf, ledger);
            var again = await RewardReplay.RunAsync(shuffled, rules, AsOf, ledger);

            Assert.Equal(expected, RewardScenario.Describe(ledger.Snapshot()));
            Assert.Equal(0, again.Statistics.Grants);
            Assert.Equal(0, again.Statistics.Reversals);
        }
    }

    [Fact]
    public void Ledger_MatchesANaiveReference_ThatRescansHistory()
    {
        for (var seed = 1; seed <= 120; seed++)
        {
            var log = RandomLog(seed, 150);
            var actual = RewardReplay.Run(log, Rules(withBudgets: false), AsOf).Ledger
                .Select(e => e.Key).Order(StringComparer.Ordinal).ToList();

            Assert.Equal(Reference(log), actual);
        }
    }

    [Fact]
    public async Task LiveInTimeOrder_EqualsTheReplay_AndLiveInAnyOrderGivesTheSameKeysWithoutCaps()
    {
        for (var seed = 1; seed <= 60; seed++)
        {
            var log = RandomLog(seed, 150);
            var rules = Rules(withBudgets: false);
            var replay = RewardReplay.Run(log, rules, AsOf).Ledger;

            var sorted = log.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            var live = new InMemoryRewardLedger();
            var engine = new RewardEngine(rules, Zone, live, new InMemoryMemberDirectory());
            foreach (var e in sorted)
            {
                await engine.ProcessAsync(e);
            }

            Assert.Equal(RewardScenario.Describe(replay), RewardScenario.Describe(live.Snapshot()));
        }
    }

    /// <summary>The rules of <see cref="Rules"/> (no budgets), by brute force over each member's whole history.</summary>
    private static List<string> Reference(List<CommunityEvent> log)
    {
        var keys = new List<string>();
        var sorted = log.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        DateOnly Day(CommunityEvent e) => LocalCalendar.LocalDate(e.At, Zone);
        string Key(string rule, string member, string unit) => RewardEngine.GrantKey(rule, member, unit);
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        foreach (var member in sorted.Select(e => e.Member).Distinct())
        {
            var mine = sorted.Where(e => e.Member == member).ToList();
            var days = mine.Where(e => e.Type == EventType.Checkin).Select(Day).Distinct().ToList();
            foreach (var d in days)
            {
                keys.Add(Key("checkin", member, "d:" + Iso(d)));
                var streak = 0;
                while (days.Contains(d.AddDays(-streak)))
                {
                    streak++;
                }

                if (streak % 3 == 0)
                {
                    keys.Add(Key("streak3", member, "s:" + Iso(d)));
                }
            }

            foreach (var week in mine.Where(e => e.Type == EventType.Message).GroupBy(e => LocalCalendar.WeekStart(Day(e))))
            {
                if (week.Count() >= 4)
                {
                    keys.Add(Key("msgs4", member, "p:w" + Iso(week.Key)));
                }
            }

            var orders = mine.Where(e => e.Type == EventType.Order).ToList();
            foreach (var month in orders.GroupBy(e => LocalCalendar.MonthStart(Day(e))))
            {
                if (month.Sum(e => e.Amount!.Value) >= 5_000)
                {
                    keys.Add(Key("orders", member, "p:" + month.Key.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            if (orders.Count > 0)
            {
                keys.Add(Key("first", member, "first"));
            }

            foreach (var approval in mine.Where(e => e.Type == EventType.TaskApproved))
            {
                var key = Key("share", member, "e:" + approval.Id);
                keys.Add(key);
                if (mine.Any(e => e.Type == EventType.TaskRejected && mine.IndexOf(e) > mine.IndexOf(approval)))
                {
                    keys.Add(key + "|reversed");
                }
            }

            foreach (var week in mine.Where(e => e.Type == EventType.TaskSubmitted && e.Task == "form").GroupBy(e => LocalCalendar.WeekStart(Day(e))))
            {
                keys.Add(Key("form", member, "e:" + week.First().Id));
            }
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
