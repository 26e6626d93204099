using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Cli.Rewards;

/// <summary>
/// The coupons of a replay: one code per coupon grant (from a seeded generator, so a replay gives the same codes
/// every time), and what the log's order events did with them (<see cref="CouponConversion.FromEvents"/>).
/// </summary>
internal sealed record ReplayCoupons(IReadOnlyList<Coupon> Coupons, CouponConversionReport Conversion)
{
    /// <summary>Issues a code for every coupon grant of <paramref name="result"/>, in ledger order, and counts the redemptions in <paramref name="events"/>.</summary>
    public static ReplayCoupons Issue(RewardReplayResult result, IEnumerable<CommunityEvent> events, DateTimeOffset asOf, int seed)
    {
        var store = new InMemoryCouponStore();
        var options = new CouponsOptions();
        var service = new CouponService(store, options, TimeProvider.System, new CouponCodeGenerator(options.Codes, seed));
        var coupons = new List<Coupon>();
        foreach (var grant in result.Ledger)
        {
            if (grant.Kind == RewardEntryKind.Grant && grant.Rewards.Any(r => r.Kind == RewardKind.Coupon && r.Coupon is not null))
            {
                // The in-memory store completes synchronously: nothing here waits on I/O.
                coupons.Add(service.IssueAsync(grant).GetAwaiter().GetResult());
            }
        }

        return new ReplayCoupons(coupons, CouponConversion.FromEvents(coupons, events, asOf));
    }

    /// <summary>Orders in the log that redeemed one of the codes.</summary>
    public long RedeemingOrders => Conversion.Rules.Sum(r => r.Orders);

    /// <summary>The report's <c>coupons</c> section.</summary>
    public JsonObject ToJson() => new()
    {
        ["issued"] = Coupons.Count,
        ["redeemed"] = Conversion.Rules.Sum(r => r.Redeemed),
        ["orders"] = RedeemingOrders,
        ["revenue"] = Conversion.Rules.Sum(r => r.Revenue),
        ["unknownCodeOrders"] = Conversion.UnknownCodeOrders,
        ["rules"] = new JsonArray(Conversion.Rules.Select(r => (JsonNode)new JsonObject
        {
            ["rule"] = r.RuleId,
            ["issued"] = r.Issued,
            ["redeemed"] = r.Redeemed,
            ["redemptionRate"] = Math.Round(r.RedemptionRate, 4),
            ["orders"] = r.Orders,
            ["revenue"] = r.Revenue,
        }).ToArray()),
    };

    /// <summary>The table form of the section.</summary>
    public void WriteTable(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coupons: {Coupons.Count} codes issued, {Conversion.Rules.Sum(r => r.Redeemed)} redeemed by {RedeemingOrders} orders, {Conversion.UnknownCodeOrders} orders with an unknown code"));
        var rows = new List<string[]> { new[] { "rule", "issued", "redeemed", "rate", "orders", "revenue" } };
        rows.AddRange(Conversion.Rules.Select(r => new[]
        {
            r.RuleId, N(r.Issued), N(r.Redeemed), r.RedemptionRate.ToString("P1", CultureInfo.InvariantCulture), N(r.Orders), N(r.Revenue),
        }));
        CliOutput.WriteTable(output, rows);
    }

    /// <summary>One JSON object per code: <c>code</c>, <c>member</c>, <c>rule</c>, <c>grant</c>, <c>issuedAt</c>, <c>expiresAt</c>.</summary>
    public void WriteCodes(TextWriter output)
    {
        foreach (var c in Coupons)
        {
            var line = new JsonObject
            {
                ["code"] = c.Code,
                ["member"] = c.Member,
                ["rule"] = c.RuleId,
                ["grant"] = c.GrantKey,
                ["issuedAt"] = EventLogWriter.FormatInstant(c.IssuedAt),
                ["expiresAt"] = c.ExpiresAt is { } x ? EventLogWriter.FormatInstant(x) : null,
            };
            output.Write(line.ToJsonString());
            output.Write('\n');
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
