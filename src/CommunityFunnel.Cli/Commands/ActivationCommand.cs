using System.Globalization;
using CommunityFunnel.Activation;
using CommunityFunnel.Cli.Activation;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel activation</c>: compute the 24-hour activation rate of an event log.</summary>
internal sealed class ActivationCommand : ICliCommand
{
    public string Name => "activation";

    public string Summary => "compute the 24-hour activation rate of an event log";

    public string Usage =>
        """
        Usage: community-funnel activation --events FILE --as-of ISO [--window 24h] [--from ISO] [--to ISO]
                 [--rejoin first|every] [--by channel|group|day] [--time-zone Asia/Shanghai] [--format json|table]

        The activation rate of event-log/v1: of the member joins in [--from, --to) whose window W (--window,
        default 24h; also 90m, 1d, PT24H) was over at --as-of, the share with a qualifying event (message,
        checkin, task_submitted, lottery_entered, order) of the same group and member in [joinAt, joinAt + W).
        Events at or after --as-of are ignored; staff and bots are excluded; pending joins are reported apart.
        --by adds a breakdown by channel, group or join day (yyyy-MM-dd in --time-zone).

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        var path = a.Required("events");
        var query = new ActivationQuery(a.RequiredInstant("as-of"))
        {
            Window = a.Optional("window") is { } w ? CliParsing.ParseDuration(w, "--window") : TimeSpan.FromHours(24),
            From = a.OptionalInstant("from"),
            To = a.OptionalInstant("to"),
            Rejoin = a.OptionalChoice("rejoin", "first", "every") == "every" ? RejoinPolicy.Every : RejoinPolicy.First,
            BreakdownBy = ActivationJson.ParseBy(a.OptionalChoice("by", "channel", "group", "day")),
            TimeZoneId = ActivationJson.TimeZone(a),
        };
        var table = CliOutput.WantsTable(a);
        a.EnsureAllConsumed();
        if (query.From is { } from && query.To is { } to && from >= to)
        {
            throw new CliUsageException("--from must be before --to");
        }

        // The calculator drops (and counts) duplicate ids itself, a chunk at a time: the reader need not check them too.
        var events = CliEventLog.Read(path, context, out _, ignoreDuplicates: false);
        var report = ActivationCalculator.Calculate(events, query);
        var withBreakdown = query.BreakdownBy != ActivationBreakdownBy.None;
        if (!table)
        {
            CliOutput.WriteJson(context.Out, ActivationJson.Activation(report, withBreakdown));
            return CliApp.Success;
        }

        CliOutput.WriteTable(context.Out,
        [
            ["as of", "window", "eligible", "activated", "pending", "excluded", "duplicates", "rate", "95% CI"],
            [
                ActivationJson.Instant(report.AsOf), ActivationJson.Duration(report.Window), N(report.Eligible), N(report.Activated),
                N(report.Pending), N(report.Excluded), N(report.Duplicates), ActivationJson.Percent(report.Rate), Interval(report.Ci95),
            ],
        ]);
        if (withBreakdown)
        {
            context.Out.WriteLine();
            // By channel, the joins' attribution says how far each channel's numbers can be trusted.
            var byChannel = query.BreakdownBy == ActivationBreakdownBy.Channel;
            string[] header = [query.BreakdownBy.ToString().ToLowerInvariant(), "eligible", "activated", "pending", "excluded", "rate", "95% CI"];
            List<string[]> rows = [byChannel ? [.. header, "exact", "inferred", "unknown"] : header];
            rows.AddRange(report.Breakdown.Select(r =>
            {
                string[] cells = [r.Key, N(r.Eligible), N(r.Activated), N(r.Pending), N(r.Excluded), ActivationJson.Percent(r.Rate), Interval(r.Ci95)];
                return byChannel ? [.. cells, N(r.Attribution.Exact), N(r.Attribution.Inferred), N(r.Attribution.Unknown)] : cells;
            }));
            CliOutput.WriteTable(context.Out, rows);
        }

        return CliApp.Success;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Interval(ConfidenceInterval? ci) =>
        ci is { } c ? $"{ActivationJson.Percent(c.Lower)} - {ActivationJson.Percent(c.Upper)}" : "-";
}
