using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>docs/rewards.md: the cases the docs were silent on, now decided there, one test each.</summary>
public sealed class RewardsDocsTests
{
    private const string PointsForApproval = """
        {"budgets":[{"id":"b","limit":1000}],
         "rules":[{"id":"share-points","trigger":{"kind":"approved","task":"share"},"rewards":[{"kind":"points","quantity":50},{"kind":"tickets","quantity":2,"draw":"d"}],"budget":"b"}]}
        """;

    private static readonly DateTimeOffset At = new(2026, 11, 3, 12, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("e-1-approve", "e-2-reject", true)]
    [InlineData("e-2-approve", "e-1-reject", false)]
    public void Default_ARejectionAtTheSameInstantAsItsApproval_ReversesItOnlyWhenItsIdSortsAfterTheApprovals(string approveId, string rejectId, bool reversed)
    {
        var events = new[]
        {
            new CommunityEvent(rejectId, EventType.TaskRejected, "g", "m-1", At, task: "share"),
            new CommunityEvent(approveId, EventType.TaskApproved, "g", "m-1", At, task: "share"),
        };

        var result = RewardReplay.Run(events, RewardRuleSet.Parse(PointsForApproval), At.AddDays(1));

        Assert.Equal(reversed ? 2 : 1, result.Ledger.Count);
        Assert.Equal(reversed ? 0 : 50, Assert.Single(result.Members).Points);
    }

    [Fact]
    public void Default_ReportFields_AreNetOfReversals_ExceptARulesGrantsAndReversalsCounts()
    {
        var events = new[]
        {
            new CommunityEvent("a1", EventType.TaskApproved, "g", "m-1", At, task: "share"),
            new CommunityEvent("r1", EventType.TaskRejected, "g", "m-1", At.AddHours(1), task: "share"),
            new CommunityEvent("a2", EventType.TaskApproved, "g", "m-2", At, task: "share"),
        };

        var result = RewardReplay.Run(events, RewardRuleSet.Parse(PointsForApproval), At.AddDays(1));

        var rule = Assert.Single(result.Rules);
        Assert.Equal((2L, 1L, 50L, 2L), (rule.Grants, rule.Reversals, rule.Points, rule.Tickets)); // counts gross, rewards net
        Assert.Equal([("m-1", 0L, 0L, 0L), ("m-2", 1L, 50L, 2L)], result.Members.Select(m => (m.Member, m.Grants, m.Points, m.Tickets)));
        Assert.Equal(52L, Assert.Single(result.Budgets).Used); // 50 + 2 units a grant; the reversed one gave its units back
        var draw = Assert.Single(result.Draws);
        Assert.Equal((1, 2L), (draw.Entries, draw.Tickets));
    }

    [Fact]
    public void TriggerTask_LimitsACheckinRuleToOneTaskId()
    {
        var rules = RewardRuleSet.Parse("""{"rules":[{"id":"r","trigger":{"kind":"checkin","task":"daily"},"rewards":[{"kind":"points"}]}]}""");
        var events = new[]
        {
            new CommunityEvent("c1", EventType.Checkin, "g", "m-1", At, task: "other"),
            new CommunityEvent("c2", EventType.Checkin, "g", "m-2", At, task: "daily"),
        };

        var result = RewardReplay.Run(events, rules, At.AddDays(1));

        Assert.Equal("m-2", Assert.Single(result.Ledger).Member);
    }

    [Fact]
    public void JoinedAfterAndJoinedBefore_TheMembersFirstJoinIsIn_JoinedAfterInclusive_JoinedBeforeExclusive()
    {
        var rules = RewardRuleSet.Parse("""
            {"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}],
              "eligibility":{"joinedAfter":"2026-11-01T00:00:00+08:00","joinedBefore":"2026-11-02T00:00:00+08:00"}}]}
            """);
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var events = new List<CommunityEvent>
        {
            new("j-early", EventType.Joined, "g", "m-early", from.AddTicks(-1)),
            new("j-first", EventType.Joined, "g", "m-first", from),
            new("j-last", EventType.Joined, "g", "m-last", from.AddDays(1).AddTicks(-1)),
            new("j-late", EventType.Joined, "g", "m-late", from.AddDays(1)),
            new("l-first", EventType.Left, "g", "m-first", from.AddHours(1)),
            new("j-first-again", EventType.Joined, "g", "m-first", from.AddDays(1).AddHours(1)), // a rejoin: the first join still counts
        };
        events.AddRange(new[] { "m-early", "m-first", "m-last", "m-late" }.Select(m => new CommunityEvent("c-" + m, EventType.Checkin, "g", m, At, task: "daily")));

        var result = RewardReplay.Run(events, rules, At.AddDays(1));

        Assert.Equal(["m-first", "m-last"], result.Ledger.Select(e => e.Member).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OrderTotal_AmountZero_AnyOrderGrants_OncePerPeriod()
    {
        var rules = RewardRuleSet.Parse("""{"rules":[{"id":"r","trigger":{"kind":"orderTotal","amount":0},"rewards":[{"kind":"points"}]}]}""");
        var events = new[]
        {
            new CommunityEvent("o1", EventType.Order, "g", "m-1", At, amount: 1),
            new CommunityEvent("o2", EventType.Order, "g", "m-1", At.AddDays(1), amount: 500),
            new CommunityEvent("o3", EventType.Order, "g", "m-1", At.AddDays(30), amount: 1),
        };

        var result = RewardReplay.Run(events, rules, At.AddDays(60));

        Assert.Equal(["o1", "o3"], result.Ledger.Select(e => e.EventId));
    }
}
