using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Cli.Rewards;

/// <summary>One shape for a <see cref="CouponConversionReport"/> in every command that prints one (coupons report, rewards replay, funnel).</summary>
internal static class CouponConversionOutput
{
    /// <summary>Totals and one object per rule: <c>rule</c>, <c>issued</c>, <c>redeemed</c>, <c>redemptionRate</c>, <c>orders</c>, <c>revenue</c>.</summary>
    public static JsonObject ToJson(CouponConversionReport report) => new()
    {
        ["issued"] = report.Rules.Sum(r => r.Issued),
        ["redeemed"] = report.Rules.Sum(r => r.Redeemed),
        ["orders"] = report.Rules.Sum(r => r.Orders),
        ["revenue"] = report.Rules.Sum(r => r.Revenue),
        ["unknownCodeOrders"] = report.UnknownCodeOrders,
        ["rules"] = new JsonArray(report.Rules.Select(r => (JsonNode)new JsonObject
        {
            ["rule"] = r.RuleId,
            ["issued"] = r.Issued,
            ["redeemed"] = r.Redeemed,
            ["redemptionRate"] = Math.Round(r.RedemptionRate, 4),
            ["orders"] = r.Orders,
            ["revenue"] = r.Revenue,
        }).ToArray()),
    };

    /// <summary>A summary line and the per-rule table.</summary>
    public static void WriteTable(TextWriter output, CouponConversionReport report)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coupons: {report.Rules.Sum(r => r.Issued)} codes issued, {report.Rules.Sum(r => r.Redeemed)} redeemed by {report.Rules.Sum(r => r.Orders)} orders, {report.UnknownCodeOrders} orders with an unknown code"));
        var rows = new List<string[]> { new[] { "rule", "issued", "redeemed", "rate", "orders", "revenue" } };
        rows.AddRange(report.Rules.Select(r => new[]
        {
            r.RuleId, N(r.Issued), N(r.Redeemed), r.RedemptionRate.ToString("P1", CultureInfo.InvariantCulture), N(r.Orders), N(r.Revenue),
        }));
        CliOutput.WriteTable(output, rows);
    }

    /// <summary>
    /// <paramref name="events"/> as they are (with their size estimate), adding each <c>order</c> event that carries a
    /// coupon code to <paramref name="couponOrders"/> as it passes: the conversion needs those only, so the log is read once.
    /// </summary>
    public static IEnumerable<CommunityEvent> KeepingCouponOrders(IEnumerable<CommunityEvent> events, List<CommunityEvent> couponOrders)
    {
        return new EstimatedEvents(Pass(), EstimatedEvents.Of(events));

        IEnumerable<CommunityEvent> Pass()
        {
            foreach (var e in events)
            {
                if (e.Type == EventType.Order && e.CouponCode is not null)
                {
                    couponOrders.Add(e);
                }

                yield return e;
            }
        }
    }

    /// <summary>The coupons of a host's SQLite file (<c>--store sqlite:FILE</c>).</summary>
    public static IReadOnlyList<Coupon> ListSqlite(string store)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={SqliteFile(store)}");
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ICouponStore>().ListAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The file of <c>--store sqlite:FILE</c>, which must exist.</summary>
    public static string SqliteFile(string store)
    {
        if (!store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            throw new CliUsageException($"--store: only sqlite:FILE is supported, not '{store}'");
        }

        var file = store["sqlite:".Length..];
        return File.Exists(file) ? file : throw new CliUsageException($"--store: no such file '{file}'");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
