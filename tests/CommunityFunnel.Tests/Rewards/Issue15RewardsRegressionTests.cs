using System.Text.Json;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>The rewards defects of issue 15, each with the smallest input that showed it.</summary>
public sealed class Issue15RewardsRegressionTests
{
    private static readonly DateTimeOffset AsOf = new(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"activeFrom\":\"2026-01-01T03:00:00\"", "rules[r].activeFrom: '2026-01-01T03:00:00'")]
    [InlineData("\"activeTo\":\"2026-01-01\"", "rules[r].activeTo: '2026-01-01'")]
    [InlineData("\"eligibility\":{\"joinedAfter\":\"2026-01-01T03:00:00\"}", "rules[r].eligibility.joinedAfter: '2026-01-01T03:00:00'")]
    [InlineData("\"eligibility\":{\"joinedBefore\":\"2026-01-01\"}", "rules[r].eligibility.joinedBefore: '2026-01-01'")]
    [InlineData("\"activeFrom\":20260101", "rules[r].activeFrom: must be a string")]
    public void Defect4_RulesInstantsWithoutAnOffset_AreReadInTheHostsTimeZone(string field, string expected)
    {
        var json = """{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}],""" + field + "}]}";

        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse(json));

        Assert.Contains(expected + " is not an ISO-8601 instant with an offset", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-01T03:00:00Z", "2026-01-01T03:00:00+00:00")]
    [InlineData("2026-01-01T03:00:00+09:00", "2026-01-01T03:00:00+09:00")]
    [InlineData("2026-01-01T03:00:00.5-03:30", "2026-01-01T03:00:00.5000000-03:30")]
    public void RulesInstantsWithAnOffset_AreReadAsWritten(string text, string expected)
    {
        var set = RewardRuleSet.Parse($$"""{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}],"activeFrom":"{{text}}"}]}""");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), set.Rules[0].ActiveFrom);
        Assert.Equal(expected, set.Rules[0].ActiveFrom!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture).Replace(".0000000", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Defect5_ARuleWithoutTrigger_IsAcceptedAndActsAsACheckinRule()
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse("""{"rules":[{"id":"no-trigger","rewards":[{"kind":"points","quantity":7}]}]}"""));

        Assert.Contains("rules[no-trigger].trigger: is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"rules":[{"id":"r","trigger":{"count":3},"rewards":[{"kind":"points"}]}]}""", "rules[r].trigger.kind: is required")]
    [InlineData("""{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"quantity":3}]}]}""", "rules[r].rewards[0].kind: is required")]
    [InlineData("""{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"coupon","coupon":{"percentOff":20}}]}]}""", "rules[r].rewards[0].coupon.kind: is required")]
    public void AKindWithoutADefault_IsRequired(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defect6_AnUnknownFieldHidesEveryOtherErrorAndNamesNoRule()
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse("""
            {"rules":[
              {"id":"s-0","trigger":{"kind":"streak","count":0},"rewards":[{"kind":"points"}]},
              {"id":"c-1","trigger":{"kind":"checkin","tasks":["a"]},"rewards":[{"kind":"points"}]}
            ]}
            """));

        Assert.Contains("rules[c-1].trigger.tasks: unknown field", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules[s-0].trigger.count", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be mapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RulesFile_ThreeUnrelatedErrors_AreAllNamedInOneException()
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse("""
            {"budgets":[{"id":"b","limit":"lots"}],
             "rules":[
              {"id":"a","trigger":{"kind":"sometimes"},"rewards":[{"kind":"points"}]},
              {"id":"b","trigger":{"kind":"checkin"},"rewards":[{"kind":"points","quantity":0}],"colour":"red"}
            ]}
            """));

        foreach (var part in new[]
        {
            "budgets[b].limit: must be a whole number",
            "rules[a].trigger.kind: must be one of checkin, streak, submitted, approved, count, orderTotal, firstOrder, it is \"sometimes\"",
            "rules[b].rewards[0].quantity: must be 1 to",
            "rules[b].colour: unknown field",
        })
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Defect7_PeriodEver_IsDocumentedForTriggersButRejected()
    {
        var rules = RewardRuleSet.Parse("""{"rules":[{"id":"big-spender","trigger":{"kind":"orderTotal","period":"ever","amount":10000},"rewards":[{"kind":"points","quantity":1}]}]}""");
        var events = new[]
        {
            new CommunityEvent("o-oct", EventType.Order, "g", "m-1", new DateTimeOffset(2026, 10, 15, 12, 0, 0, TimeSpan.FromHours(8)), amount: 6_000),
            new CommunityEvent("o-nov", EventType.Order, "g", "m-1", new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.FromHours(8)), amount: 6_000),
            new CommunityEvent("o-dec", EventType.Order, "g", "m-1", new DateTimeOffset(2026, 12, 15, 12, 0, 0, TimeSpan.FromHours(8)), amount: 6_000),
        };

        var result = RewardReplay.Run(events, rules, AsOf);

        var grant = Assert.Single(result.Ledger);
        Assert.Equal("o-nov", grant.EventId);
        Assert.EndsWith("|p:ever", grant.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void PeriodEver_CountTrigger_FiresOnceAtTheNthEventOfAllTime()
    {
        var rules = RewardRuleSet.Parse("""{"rules":[{"id":"third-message","trigger":{"kind":"count","event":"message","count":3,"period":"ever"},"rewards":[{"kind":"points"}]}]}""");
        var events = Enumerable.Range(0, 6)
            .Select(i => new CommunityEvent($"m{i}", EventType.Message, "g", "m-1", new DateTimeOffset(2026, 1 + (2 * i), 1, 12, 0, 0, TimeSpan.Zero)))
            .ToList();

        var result = RewardReplay.Run(events, rules, AsOf);

        Assert.Equal("m2", Assert.Single(result.Ledger).EventId);
        Assert.Equal(0, result.Statistics.TooLate);
    }

    [Fact]
    public void PeriodEver_RoundTripsThroughTheRulesFile()
    {
        var set = RewardRuleSet.Parse("""{"rules":[{"id":"r","trigger":{"kind":"orderTotal","period":"ever","amount":5},"rewards":[{"kind":"points"}]}]}""");

        Assert.Equal(RewardPeriod.Ever, set.Rules[0].Trigger.Period);
        Assert.Equal(RewardPeriod.Ever, RewardRuleSet.Parse(set.ToJson()).Rules[0].Trigger.Period);
        Assert.Contains("\"period\": \"ever\"", set.ToJson(), StringComparison.Ordinal);
        _ = JsonDocument.Parse(set.ToJson());
    }
}
