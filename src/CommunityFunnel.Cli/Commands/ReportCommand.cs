using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Activation;
using CommunityFunnel.Cli.Activation;
using CommunityFunnel.Cli.Lifecycle;
using CommunityFunnel.Events;
using CommunityFunnel.Reports;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel report</c>: the funnel and the cohort views operators read, as JSON and as an HTML page in Chinese or English.</summary>
internal sealed class ReportCommand : ICliCommand
{
    public string Name => "report";

    public string Summary => "the funnel, retention, lifecycle, daily growth, message heat map, inviters and at-risk members (JSON, HTML in zh-CN or en)";

    public string Usage =>
        """
        Usage: community-funnel report --events FILE --as-of ISO [--html FILE] [--lang zh-CN|en]
                 [--by channel|group] [--window 24h] [--time-zone Asia/Shanghai] [--policy FILE]
                 [--weeks 12] [--top 10]

        Prints, as JSON: the funnel (as `funnel` does, attracted from invite_viewed events), the retention
        matrix by local join week (up to --weeks weeks later), the weekly lifecycle split (new, returning,
        resurrecting, dormant), joins and leaves per local day, members' messages by local weekday and hour,
        the --top inviters (the `by` of joins) and, with a lifecycle --policy, the members at risk at --as-of
        with their reason and removal deadline (without one, atRisk is null). Weeks start on Monday in
        --time-zone. --html writes the same numbers as one self-contained page (inline SVG, no scripts),
        readable on a phone; --lang picks its language (default: zh-CN when the UI culture is Chinese, else en).
        Definitions: docs/reports.md.

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        var path = a.Required("events");
        var asOf = a.RequiredInstant("as-of");
        var zone = ActivationJson.TimeZone(a);
        var funnelQuery = new FunnelQuery(asOf)
        {
            By = a.OptionalChoice("by", "channel", "group") == "group" ? ActivationBreakdownBy.Group : ActivationBreakdownBy.Channel,
            Window = a.Optional("window") is { } w ? CliParsing.ParseDuration(w, "--window") : TimeSpan.FromHours(24),
            TimeZoneId = zone,
        };
        var query = new CommunityReportQuery(asOf)
        {
            TimeZoneId = zone,
            MaxWeeksLater = (int)(a.OptionalInt64("weeks", 0, 520) ?? 12),
            TopInviters = (int)(a.OptionalInt64("top", 0, 10_000) ?? 10),
        };
        var lang = a.OptionalChoice("lang", "zh-CN", "en") ?? CommunityHtmlReport.LanguageFor(CultureInfo.CurrentUICulture);
        var html = a.Optional("html");
        var policy = a.Optional("policy") is not null ? LifecycleCommand.LoadPolicy(a) : null;
        a.EnsureAllConsumed();
        if (html is not null && Path.GetDirectoryName(Path.GetFullPath(html)) is { } dir && !Directory.Exists(dir))
        {
            throw new CliUsageException($"--html: no such directory '{dir}'");
        }

        var events = new List<CommunityEvent>(CliEventLog.Read(path, context, out _, ignoreDuplicates: false));
        var funnel = FunnelCalculator.Calculate(events, funnelQuery);
        var lifecycle = policy is null ? null : LifecycleReplay.Run(Unique(events), policy, asOf).Members();
        var views = CommunityReportCalculator.Calculate(events, query, lifecycle);
        if (html is not null)
        {
            CommunityHtmlReport.WriteFile(funnel, views, lang, html);
            context.Err.WriteLine($"HTML report written to {html}");
        }

        CliOutput.WriteJson(context.Out, Json(funnel, views, lang));
        return CliApp.Success;
    }

    /// <summary>The events with the first of each id (the lifecycle replay sorts by time, so a later duplicate must not win).</summary>
    private static IEnumerable<CommunityEvent> Unique(List<CommunityEvent> events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return events.Where(e => seen.Add(e.Id));
    }

    internal static JsonObject Json(FunnelReport funnel, CommunityReport views, string lang)
    {
        var inv = CultureInfo.InvariantCulture;
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", inv);
        return new JsonObject
        {
            ["asOf"] = ActivationJson.Instant(views.AsOf),
            ["timeZone"] = views.TimeZoneId,
            ["lang"] = lang,
            ["funnel"] = ActivationJson.Funnel(funnel),
            ["retention"] = new JsonArray([.. views.Retention.Select(c => (JsonNode)new JsonObject
            {
                ["week"] = D(c.Week),
                ["members"] = c.Members,
                ["retained"] = new JsonArray([.. c.Retained.Select(r => (JsonNode)JsonValue.Create(r))]),
                ["rates"] = new JsonArray([.. Enumerable.Range(0, c.Retained.Count).Select(k => (JsonNode?)JsonValue.Create(c.Rate(k)))]),
            })]),
            ["lifecycle"] = new JsonArray([.. views.Lifecycle.Select(l => (JsonNode)new JsonObject
            {
                ["week"] = D(l.Week), ["new"] = l.New, ["returning"] = l.Returning, ["resurrecting"] = l.Resurrecting, ["dormant"] = l.Dormant,
            })]),
            ["growth"] = new JsonArray([.. views.Growth.Select(g => (JsonNode)new JsonObject
            {
                ["date"] = D(g.Date), ["joined"] = g.Joined, ["left"] = g.Left, ["removed"] = g.Removed, ["net"] = g.Net,
            })]),
            ["messages"] = new JsonObject
            {
                ["weekdays"] = new JsonArray("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                ["counts"] = new JsonArray([.. views.Messages.Counts.Select(r => (JsonNode)new JsonArray([.. r.Select(v => (JsonNode)JsonValue.Create(v))]))]),
                ["total"] = views.Messages.Total,
            },
            ["topInviters"] = new JsonArray([.. views.TopInviters.Select(i => (JsonNode)new JsonObject
            {
                ["inviter"] = i.Inviter, ["invited"] = i.Invited, ["stillIn"] = i.StillIn,
            })]),
            ["atRisk"] = views.AtRisk is null ? null : new JsonArray([.. views.AtRisk.Select(m => (JsonNode)new JsonObject
            {
                ["group"] = m.Group,
                ["member"] = m.Member,
                ["reason"] = m.Reason.ToString(),
                ["task"] = m.Task,
                ["removalDeadline"] = m.RemovalDeadline is { } d ? ActivationJson.Instant(d) : null,
            })]),
        };
    }
}
