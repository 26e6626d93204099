using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using static CommunityFunnel.Tests.Rewards.RewardScenario;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>Every engine that does arithmetic on host-supplied numbers, at the largest and smallest values they may hold.</summary>
public sealed class ExtremeValueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static CommunityEvent Order(int n, DateTimeOffset at, long amount) =>
        new($"o{n}", EventType.Order, "g1", "m1", at, amount: amount);

    [Fact]
    public void OrderTotal_OfManyLargestOrders_SaturatesInsteadOfOverflowing_AndStillFiresAtItsThreshold()
    {
        var orders = Enumerable.Range(0, 2_000).Select(i => Order(i, T0.AddSeconds(i), CommunityEvent.MaxAmount)).ToList();
        var atMax = Rule("max", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = long.MaxValue });
        var atThree = Rule("three", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 3 * CommunityEvent.MaxAmount });

        var result = RewardReplay.Run(orders, Rules(atMax, atThree), T0.AddDays(1), "Asia/Shanghai");

        // 1 024 orders of 2^53 - 1 pass long.MaxValue; the total stops there, so the rule fires once, on that order.
        Assert.Equal("o1024", Assert.Single(result.Ledger, e => e.RuleId == "max").EventId);
        Assert.Equal("o2", Assert.Single(result.Ledger, e => e.RuleId == "three").EventId);
    }

    [Fact]
    public void AGrantCostingMoreThanALongHolds_IsPaidOnceFromTheLargestBudget_ThenTheBudgetIsExhausted()
    {
        var rule = Rule("huge", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder }, budget: "b") with
        {
            Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = uint.MaxValue, Cost = long.MaxValue }, new RewardSpec { Kind = RewardKind.Points, Cost = long.MaxValue }],
        };
        var rules = new RewardRuleSet { Budgets = [new RewardBudget { Id = "b", Limit = long.MaxValue }], Rules = [rule] };
        rules.Validate();
        var orders = new[] { Order(1, T0, 0), new CommunityEvent("o2", EventType.Order, "g1", "m2", T0, amount: CommunityEvent.MaxAmount) };

        var result = RewardReplay.Run(orders, rules, T0.AddDays(1), "Asia/Shanghai");

        Assert.Single(result.Ledger);
        Assert.Equal(long.MaxValue, Assert.Single(result.Budgets).Used);
    }

    [Fact]
    public void DrawWeights_AtTheirLargest_DrawAndVerify()
    {
        var entries = Enumerable.Range(0, 1_000).Select(i => new DrawEntry($"m-{i}", uint.MaxValue)).ToArray();

        var proof = FairDraw.Run(new DrawInput("max", [new PrizeTier("all", 1_000)], entries, new byte[32], new byte[32]));

        Assert.Equal(1_000L * uint.MaxValue, proof.TotalWeight);
        Assert.Equal(1_000, proof.Winners.Select(w => w.Entry).Distinct().Count());
        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.Throws<FairDrawInputException>(() => FairDraw.Run(new DrawInput("over", [new PrizeTier("p", 1)], [new DrawEntry("x", (long)uint.MaxValue + 1)], new byte[32], default)));
    }

    [Fact]
    public void TicketCounts_OfTheLargestQuantity_AddUpWithoutOverflow()
    {
        var s = new Rewards.RewardScenario();
        for (var day = 1; day <= 30; day++)
        {
            s.Checkin("m1", Local(day, 9));
        }

        var rule = Rule("tickets", new RewardTrigger { Kind = RewardTriggerKind.Checkin }) with
        {
            Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = uint.MaxValue, Draw = "d", Cost = 0 }],
        };

        var result = s.Replay(Rules(rule));

        Assert.Equal(30L * uint.MaxValue, Assert.Single(result.Members).Tickets);
    }
}
