using System.Globalization;
using CommunityFunnel.Activation;
using CommunityFunnel.Cli.Activation;
using CommunityFunnel.Cli.Rewards;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel funnel</c>: the funnel report (attracted, joined, activated, converted) with an optional HTML report.</summary>
internal sealed class FunnelCommand : ICliCommand
{
    public string Name => "funnel";

    public string Summary => "the funnel report (attracted, joined, activated, converted) with an optional HTML report";

    public string Usage =>
        """
        Usage: community-funnel funnel --events FILE --as-of ISO [--by channel|group] [--html FILE]
                 [--window 24h] [--time-zone Asia/Shanghai] [--format json|table] [--store sqlite:FILE]

        Per channel (default) or group, and per join day: attracted (distinct visitors of the invite_viewed
        events, or "not measured" where there are none), joined, activated within the window, converted (an
        order after joining), the scan-to-join rate with its 95% Wilson interval, the other rates between steps
        and the median times to activate and to convert. `report` adds the cohort views. --html writes one self-contained
        HTML page (inline SVG, no scripts): a funnel per row, the activation rate by join day with its 95%
        Wilson band, and the cohort table. --store adds the coupons the host's SQLite file issued and the order
        events (their "coupon" field) that redeemed them, per rule or draw: lottery or task -> coupon -> order.

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        var path = a.Required("events");
        var query = new FunnelQuery(a.RequiredInstant("as-of"))
        {
            By = a.OptionalChoice("by", "channel", "group") == "group" ? ActivationBreakdownBy.Group : ActivationBreakdownBy.Channel,
            Window = a.Optional("window") is { } w ? CliParsing.ParseDuration(w, "--window") : TimeSpan.FromHours(24),
            TimeZoneId = ActivationJson.TimeZone(a),
        };
        var html = a.Optional("html");
        var store = a.Optional("store");
        var table = CliOutput.WantsTable(a);
        a.EnsureAllConsumed();
        if (html is not null && Path.GetDirectoryName(Path.GetFullPath(html)) is { } dir && !Directory.Exists(dir))
        {
            throw new CliUsageException($"--html: no such directory '{dir}'");
        }

        // The calculator drops (and counts) duplicate ids itself, a chunk at a time: the reader need not check them too.
        var coupons = store is null ? null : CouponConversionOutput.ListSqlite(store);
        var events = CliEventLog.Read(path, context, out _, ignoreDuplicates: false);
        var couponOrders = new List<CommunityEvent>();
        var report = FunnelCalculator.Calculate(coupons is null ? events : CouponConversionOutput.KeepingCouponOrders(events, couponOrders), query);
        var conversion = coupons is null ? null : CouponConversion.FromEvents(coupons, couponOrders, query.AsOf);
        if (html is not null)
        {
            FunnelHtmlReport.WriteFile(report, html);
            context.Err.WriteLine($"HTML report written to {html}");
        }

        if (!table)
        {
            var json = ActivationJson.Funnel(report);
            if (conversion is not null)
            {
                json["coupons"] = CouponConversionOutput.ToJson(conversion);
            }

            CliOutput.WriteJson(context.Out, json);
            return CliApp.Success;
        }

        List<string[]> rows =
        [
            [query.By == ActivationBreakdownBy.Group ? "group" : "channel", "attracted", "joined", "join rate", "eligible", "pending", "activated",
             "activation rate", "converted", "conversion rate", "median to activate", "median to convert", "excluded"],
        ];
        rows.AddRange(report.Rows.Append(report.Total).Select(r => new[]
        {
            r.Key, r.Attracted is { } a ? N(a) : "not measured", N(r.Joined), ActivationJson.Percent(r.JoinRate), N(r.Eligible), N(r.Pending), N(r.Activated),
            ActivationJson.Percent(r.ActivationRate), N(r.Converted), ActivationJson.Percent(r.ConversionRate),
            FunnelHtmlReport.FormatDuration(r.MedianTimeToActivate), FunnelHtmlReport.FormatDuration(r.MedianTimeToConvert), N(r.Excluded),
        }));
        CliOutput.WriteTable(context.Out, rows);
        if (conversion is not null)
        {
            context.Out.WriteLine();
            CouponConversionOutput.WriteTable(context.Out, conversion);
        }

        return CliApp.Success;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
