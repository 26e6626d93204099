using System.Text.Json;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

public sealed class RewardRuleSetTests
{
    [Fact]
    public void Presets_RoundTripThroughTheRulesFileFormat()
    {
        var presets = RewardPresets.SeedArticle();
        var json = presets.ToJson();

        var parsed = RewardRuleSet.Parse(json);

        Assert.Equal(json, parsed.ToJson());
        Assert.Contains("\"kind\": \"percentOff\"", json, StringComparison.Ordinal);
        Assert.Equal(5, parsed.Rules.Count);
        Assert.Equal(20, parsed.Rules[1].Rewards[0].Coupon!.PercentOff);
    }

    [Fact]
    public void Parse_ReadsEveryField()
    {
        const string json = """
            {
              "timeZone": "Europe/Berlin",
              "budgets": [{ "id": "cash", "limit": 100000, "currency": "EUR" }],
              "rules": [{
                "id": "talkers",
                "trigger": { "kind": "count", "event": "task_approved", "task": "t1", "count": 3, "period": "week" },
                "eligibility": { "states": ["inGroup"], "channels": ["poster"], "joinedAfter": "2026-11-01T00:00:00+01:00", "excludeStaffAndBots": false },
                "rewards": [
                  { "kind": "coupon", "cost": 2000, "coupon": { "kind": "spendGetGift", "minSpend": 20000, "gift": "lipstick", "validDays": 30 } },
                  { "kind": "tickets", "quantity": 2, "draw": "weekly-{week}" }
                ],
                "limits": { "perMemberPerMonth": 2, "ruleTotal": 100 },
                "budget": "cash",
                "activeFrom": "2026-11-01T00:00:00+01:00",
                "activeTo": "2026-12-01T00:00:00+01:00"
              }]
            }
            """;

        var set = RewardRuleSet.Parse(json);

        var rule = Assert.Single(set.Rules);
        Assert.Equal("Europe/Berlin", set.TimeZone);
        Assert.Equal(EventType.TaskApproved, rule.Trigger.Event);
        Assert.Equal(RewardPeriod.Week, rule.Trigger.Period);
        Assert.Equal([MembershipState.InGroup], rule.Eligibility.States);
        Assert.False(rule.Eligibility.ExcludeStaffAndBots);
        Assert.Equal(CouponKind.SpendGetGift, rule.Rewards[0].Coupon!.Kind);
        Assert.Equal("lipstick", rule.Rewards[0].Coupon!.Gift);
        Assert.Equal(2, rule.Rewards[1].Quantity);
        Assert.Equal(2, rule.Limits.PerMemberPerMonth);
        Assert.Equal("cash", rule.Budget);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(1)), rule.ActiveTo);
    }

    [Fact]
    public void Validation_NamesEveryBadRuleAndField_InOneMessage()
    {
        const string json = """
            {
              "rules": [
                { "id": "a", "trigger": { "kind": "streak", "count": 0 }, "rewards": [{ "kind": "tickets" }] },
                { "id": "a", "trigger": { "kind": "checkin" }, "rewards": [{ "kind": "coupon", "coupon": { "kind": "percentOff", "percentOff": 120 } }], "budget": "nope" },
                { "id": "c", "trigger": { "kind": "count" }, "rewards": [], "limits": { "perMemberPerDay": -1 },
                  "activeFrom": "2026-12-01T00:00:00Z", "activeTo": "2026-11-01T00:00:00Z" }
              ]
            }
            """;

        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse(json));

        foreach (var expected in new[]
        {
            "rules[a].trigger.count: the streak length in days must be 1 to 3650, it is 0",
            "rules[a].rewards[0].draw: the draw id is required for tickets",
            "rules[a].id: is used by another rule (this is rule #1)",
            "rules[a].rewards[0].coupon.percentOff: must be 1 to 100 (8折 is 20), it is 120",
            "rules[a].budget: 'nope' is not one of the budgets",
            "rules[c].trigger.count: must be at least 1, it is 0",
            "rules[c].trigger.event: the event type counted is required",
            "rules[c].rewards: must list at least one reward",
            "rules[c].limits.perMemberPerDay: must not be negative, it is -1",
            "rules[c].activeFrom: 2026-12-01T00:00:00.0000000+00:00 must be before activeTo",
        })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{ "rules": [{ "id": "a", "trigger": { "kind": "checkin", "colour": 1 } }] }""", "rules[a].trigger.colour: unknown field")]
    [InlineData("""{ "rules": [{ "id": "a", "trigger": { "kind": "sometimes" } }] }""", "rules[a].trigger.kind: must be one of")]
    [InlineData("""{ "rules": [{ "id": "a", "trigger": { "kind": "count", "event": "shouted" } }] }""", "rules[a].trigger.event: must be an event type of event-log/v1 (e.g. message, checkin, task_submitted, order), it is \"shouted\"")]
    [InlineData("""{ "rules": [{ "id": "a", "trigger": { "kind": "checkin", "count": "seven" } }] }""", "rules[a].trigger.count: must be a whole number")]
    public void WrongShape_IsAnArgumentException_NamingThePath(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "rules": [ """)]
    [InlineData("""[ 1 ]""")]
    [InlineData("""null""")]
    public void TextThatIsNotAJsonObject_IsAJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => RewardRuleSet.Parse(json));

    [Fact]
    public void NoRules_IsAnError_AndAnUnknownZoneToo()
    {
        var error = Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse("""{ "timeZone": "Mars/Olympus", "rules": [] }"""));
        Assert.Contains("at least one rule", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mars/Olympus'", error.Message, StringComparison.Ordinal);
    }
}
