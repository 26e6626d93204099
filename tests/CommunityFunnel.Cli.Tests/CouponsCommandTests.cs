using System.Text.Json.Nodes;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Cli.Tests;

public sealed class CouponsCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cf-coupons-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(f);
        }
    }

    private string Issue(RewardCoupon terms, DateTimeOffset? expires = null, RewardRuleSet? rules = null, string grantKey = "streak-7-coupon|5:wx:42|2026-11-08")
    {
        var services = new ServiceCollection();
        var builder = services.AddCommunityFunnel().UseSqliteStores($"Data Source={_file}");
        if (rules is not null)
        {
            builder.AddRewardRules(o => o.Add(rules));
        }

        using var provider = services.BuildServiceProvider();
        var grant = new RewardLedgerEntry
        {
            Key = grantKey,
            RuleId = "streak-7-coupon",
            Member = "wx:42",
            EventId = "e-1",
            At = new DateTimeOffset(2026, 11, 8, 9, 0, 0, TimeSpan.FromHours(8)),
            Rewards = [new RewardSpec { Kind = RewardKind.Coupon, Coupon = terms }],
            Counters = [],
            ExpiresAt = expires,
        };
        return provider.GetRequiredService<ICouponService>().IssueAsync(grant).GetAwaiter().GetResult().Code;
    }

    private string[] Args(string step, string code, string order, params string[] more) =>
        ["coupons", step, "--store", "sqlite:" + _file, "--code", code, "--order", order, .. more];

    [Fact]
    public void ValidateRedeemRollback_OverASqliteStore_WithTheirExitCodes()
    {
        var code = Issue(new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20, MinSpend = 10000 });
        var typed = code.ToLowerInvariant().Insert(4, "-");

        var check = CliRunner.Run(Args("validate", typed, "o1", "--amount", "12345", "--member", "wx:42"));
        Assert.Equal(0, check.ExitCode);
        var json = JsonNode.Parse(check.Out)!;
        Assert.Equal((code, true, 2469L, 9876L), ((string)json["code"]!, (bool)json["applies"]!, (long)json["discount"]!, (long)json["amountToPay"]!));
        Assert.Equal(("streak-7-coupon", "percentOff", 1), ((string)json["coupon"]!["rule"]!, (string)json["coupon"]!["kind"]!, (int)json["coupon"]!["usageLimit"]!));

        var below = CliRunner.Run(Args("validate", code, "o1", "--amount", "9999"));
        Assert.Equal(1, below.ExitCode);
        Assert.Equal("belowMinimumSpend", (string)JsonNode.Parse(below.Out)!["rejection"]!);

        Assert.Equal(0, CliRunner.Run(Args("redeem", code, "o1", "--amount", "12345")).ExitCode);
        var again = JsonNode.Parse(CliRunner.Run(Args("redeem", code, "o1", "--amount", "12345")).Out)!;
        Assert.True((bool)again["alreadyDone"]!);
        var other = CliRunner.Run(Args("redeem", code, "o2", "--amount", "20000"));
        Assert.Equal(1, other.ExitCode);
        Assert.Equal("usedUp", (string)JsonNode.Parse(other.Out)!["rejection"]!);

        Assert.Equal(0, CliRunner.Run(Args("rollback", code, "o1")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Args("redeem", code, "o2", "--amount", "20000")).ExitCode);
        var table = CliRunner.Run(Args("rollback", code, "o9", "--format", "table"));
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("notUsedByOrder", table.Out, StringComparison.Ordinal);

        var typo = code[..^1] + (code[^1] == 'A' ? 'B' : 'A');
        Assert.Equal("malformed", (string)JsonNode.Parse(CliRunner.Run(Args("validate", typo, "o3", "--amount", "1")).Out)!["rejection"]!);
    }

    [Fact]
    public void Report_GivesPerRule_IssuedRedeemedAndRevenue_FromTheStoreOrTheEvents()
    {
        var code = Issue(new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000 });
        Assert.Equal(0, CliRunner.Run(Args("redeem", code, "o1", "--amount", "19900")).ExitCode);

        var fromStore = JsonNode.Parse(CliRunner.Run("coupons", "report", "--store", "sqlite:" + _file, "--as-of", "2100-01-01T00:00:00+08:00").Out)!; // the redemption is at the real clock
        Assert.Equal("store", (string)fromStore["source"]!);
        var row = fromStore["rules"]![0]!;
        Assert.Equal(("streak-7-coupon", 1, 1, 1.0, 1L, 17900L), ((string)row["rule"]!, (int)row["issued"]!, (int)row["redeemed"]!, (double)row["redemptionRate"]!, (long)row["orders"]!, (long)row["revenue"]!));

        var events = _file + ".jsonl";
        File.WriteAllText(events,
            "{\"id\":\"o1\",\"type\":\"order\",\"group\":\"g\",\"member\":\"wx:42\",\"at\":\"2026-11-09T12:00:00+08:00\",\"amount\":17900,\"coupon\":\"" + code + "\"}\n"
            + "{\"id\":\"o2\",\"type\":\"order\",\"group\":\"g\",\"member\":\"wx:7\",\"at\":\"2026-11-09T12:00:00+08:00\",\"amount\":500,\"coupon\":\"CFXXXXXXXXX\"}\n");
        try
        {
            var result = CliRunner.Run("coupons", "report", "--store", "sqlite:" + _file, "--as-of", "2026-12-01T00:00:00+08:00", "--events", events, "--format", "table");
            Assert.Equal(0, result.ExitCode);
            Assert.Matches(@"streak-7-coupon\s+1\s+1\s+100\.0 ?%\s+1\s+17900", result.Out);
            Assert.Contains(", 1 orders with an unknown code", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(events);
        }
    }

    [Fact]
    public void Funnel_WithTheStore_AttributesTheRedeemingOrdersToTheCouponsRule()
    {
        var code = Issue(new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000 });
        var events = _file + ".funnel.jsonl";
        File.WriteAllText(events,
            "{\"id\":\"j1\",\"type\":\"joined\",\"group\":\"g\",\"member\":\"wx:42\",\"at\":\"2026-11-01T09:00:00+08:00\",\"channel\":\"poster\"}\n"
            + "{\"id\":\"o1\",\"type\":\"order\",\"group\":\"g\",\"member\":\"wx:42\",\"at\":\"2026-11-09T12:00:00+08:00\",\"amount\":17900,\"coupon\":\"" + code + "\"}\n"
            + "{\"id\":\"o2\",\"type\":\"order\",\"group\":\"g\",\"member\":\"wx:42\",\"at\":\"2026-11-10T12:00:00+08:00\",\"amount\":900}\n");
        try
        {
            var json = CliRunner.Run("funnel", "--events", events, "--as-of", "2026-12-01T00:00:00+08:00", "--store", "sqlite:" + _file);
            Assert.Equal(0, json.ExitCode);
            var coupons = JsonNode.Parse(json.Out)!["coupons"]!;
            Assert.Equal((1, 1, 1L, 17900L, 0L), ((int)coupons["issued"]!, (int)coupons["redeemed"]!, (long)coupons["orders"]!, (long)coupons["revenue"]!, (long)coupons["unknownCodeOrders"]!));
            Assert.Equal("streak-7-coupon", (string)coupons["rules"]![0]!["rule"]!);

            var without = JsonNode.Parse(CliRunner.Run("funnel", "--events", events, "--as-of", "2026-12-01T00:00:00+08:00").Out)!.AsObject();
            Assert.False(without.ContainsKey("coupons"));
            Assert.Equal(JsonNode.Parse(json.Out)!["total"]!.ToJsonString(), without["total"]!.ToJsonString());

            var table = CliRunner.Run("funnel", "--events", events, "--as-of", "2026-12-01T00:00:00+08:00", "--store", "sqlite:" + _file, "--format", "table");
            Assert.Contains("coupons: 1 codes issued, 1 redeemed by 1 orders", table.Out, StringComparison.Ordinal);
            Assert.Contains("--store: no such file", CliRunner.Run("funnel", "--events", events, "--as-of", "2026-12-01T00:00:00Z", "--store", "sqlite:/nonexistent/x.db").Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(events);
        }
    }

    [Theory]
    [InlineData("coupons")]
    [InlineData("coupons", "spend")]
    [InlineData("coupons", "report", "--store", "sqlite:x.db")]
    [InlineData("coupons", "validate", "--store", "postgres:x", "--code", "C", "--order", "o", "--amount", "1")]
    [InlineData("coupons", "validate", "--store", "sqlite:/nonexistent/x.db", "--code", "C", "--order", "o", "--amount", "1")]
    [InlineData("coupons", "validate", "--store", "sqlite:x.db", "--code", "C", "--order", "o")]
    [InlineData("coupons", "redeem", "--store", "sqlite:x.db", "--code", "C", "--order", "o", "--amount", "-1")]
    public void BadUsage_ExitsTwo(params string[] args) => Assert.Equal(2, CliRunner.Run(args).ExitCode);

    [Fact]
    public void ACouponOfABudgetChargedAtRedemption_NeedsTheRules_AndIsRefusedWhenTheBudgetIsSpent()
    {
        var rulesFile = _file + ".rules.json";
        const string json = """
            {
              "budgets": [{ "id": "discounts", "limit": 2000, "currency": "CNY", "chargedAt": "redemption" }],
              "rules": [{ "id": "streak-7-coupon", "trigger": { "kind": "streak", "count": 7 },
                          "rewards": [{ "kind": "coupon", "coupon": { "kind": "amountOff", "amountOff": 2000 } }], "budget": "discounts" }]
            }
            """;
        File.WriteAllText(rulesFile, json);
        try
        {
            var terms = new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 2000 };
            var first = Issue(terms, rules: RewardRuleSet.Parse(json));
            var second = Issue(terms, rules: RewardRuleSet.Parse(json), grantKey: "streak-7-coupon|5:wx:42|2026-11-15");

            var noRules = CliRunner.Run(Args("redeem", first, "o1", "--amount", "19900"));
            Assert.Equal(2, noRules.ExitCode);
            Assert.Contains("spends budget 'discounts'", noRules.Err, StringComparison.Ordinal);
            Assert.Contains("--rules FILE", noRules.Err, StringComparison.Ordinal);

            Assert.Equal(0, CliRunner.Run(Args("redeem", first, "o1", "--amount", "19900", "--rules", rulesFile)).ExitCode);
            var spent = CliRunner.Run(Args("redeem", second, "o2", "--amount", "19900", "--rules", rulesFile));
            Assert.Equal(1, spent.ExitCode);
            Assert.Equal("budgetExhausted", (string)JsonNode.Parse(spent.Out)!["rejection"]!);

            Assert.Equal(0, CliRunner.Run(Args("rollback", first, "o1")).ExitCode); // the refund gives the 20.00 back
            Assert.Equal(0, CliRunner.Run(Args("redeem", second, "o2", "--amount", "19900", "--rules", rulesFile)).ExitCode);
        }
        finally
        {
            File.Delete(rulesFile);
        }
    }
}
