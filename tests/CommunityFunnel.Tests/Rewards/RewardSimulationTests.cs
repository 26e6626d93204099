using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>The presets over a simulated month: the invariants hold on realistic data, in any arrival order.</summary>
public sealed class RewardSimulationTests
{
    private static readonly List<CommunityEvent> Month = CommunitySimulator.Generate(new SimulationOptions { Members = 300, Days = 30, Seed = 6 }).ToList();
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Presets_OverASimulatedMonth_KeepEveryInvariant()
    {
        var rules = RewardPresets.SeedArticle(couponBudget: 10);
        var result = RewardReplay.Run(Month, rules, AsOf);
        var staff = Month.Where(e => e.Type == EventType.Joined && e.EffectiveRole != MemberRole.Member).Select(e => e.Member).ToHashSet();
        var grants = result.Ledger.Where(e => e.Kind == RewardEntryKind.Grant).ToList();

        Assert.All(result.Rules, r => Assert.True(r.Grants > 0, $"rule {r.RuleId} never granted on a simulated month"));
        Assert.Equal(10, result.Budgets.Single().Used);
        Assert.True(result.Statistics.BudgetExhausted > 0);
        Assert.Equal(result.Ledger.Count, result.Ledger.Select(e => e.Key).Distinct().Count());
        Assert.DoesNotContain(grants, g => staff.Contains(g.Member));
        Assert.All(grants.GroupBy(g => (g.RuleId, g.Member, g.At.ToOffset(TimeSpan.FromHours(8)).Date)).Where(g => g.Key.RuleId == "checkin-weekly-ticket"), g => Assert.Single(g));
        Assert.All(result.Ledger.Where(e => e.Kind == RewardEntryKind.Reversal), r => Assert.Contains(grants, g => g.Key == r.Reverses));
    }

    [Fact]
    public void Presets_OverASimulatedMonth_ShuffledAndDuplicated_GiveTheSameLedger()
    {
        var rules = RewardPresets.SeedArticle(couponBudget: 10);
        var expected = RewardScenario.Describe(RewardReplay.Run(Month, rules, AsOf).Ledger);
        var shuffled = Month.Concat(Month.Take(500)).ToArray();
        new Random(6).Shuffle(shuffled);

        Assert.Equal(expected, RewardScenario.Describe(RewardReplay.Run(shuffled, rules, AsOf).Ledger));
    }
}
