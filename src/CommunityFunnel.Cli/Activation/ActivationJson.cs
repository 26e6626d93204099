using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Activation;

namespace CommunityFunnel.Cli.Activation;

/// <summary>The JSON shapes of <c>activation</c> and <c>funnel</c>, and the values they share.</summary>
internal static class ActivationJson
{
    public static JsonObject Activation(ActivationReport report, bool withBreakdown)
    {
        var json = new JsonObject
        {
            ["asOf"] = Instant(report.AsOf),
            ["window"] = Duration(report.Window),
            ["eligible"] = report.Eligible,
            ["activated"] = report.Activated,
            ["pending"] = report.Pending,
            ["excluded"] = report.Excluded,
            ["duplicates"] = report.Duplicates,
            ["rate"] = report.Rate,
            ["ci95"] = Interval(report.Ci95),
        };
        if (withBreakdown)
        {
            var rows = new JsonArray();
            foreach (var row in report.Breakdown)
            {
                rows.Add(new JsonObject
                {
                    ["key"] = row.Key,
                    ["eligible"] = row.Eligible,
                    ["activated"] = row.Activated,
                    ["pending"] = row.Pending,
                    ["excluded"] = row.Excluded,
                    ["rate"] = row.Rate,
                    ["attribution"] = new JsonObject
                    {
                        ["exact"] = row.Attribution.Exact,
                        ["inferred"] = row.Attribution.Inferred,
                        ["unknown"] = row.Attribution.Unknown,
                    },
                });
            }

            json["breakdown"] = rows;
        }

        return json;
    }

    public static JsonObject Funnel(FunnelReport report)
    {
        var rows = new JsonArray();
        foreach (var row in report.Rows)
        {
            rows.Add(Row(row));
        }

        var days = new JsonArray();
        foreach (var row in report.Days)
        {
            days.Add(Row(row));
        }

        return new JsonObject
        {
            ["asOf"] = Instant(report.AsOf),
            ["window"] = Duration(report.Window),
            ["by"] = report.By == ActivationBreakdownBy.Group ? "group" : "channel",
            ["duplicates"] = report.Duplicates,
            ["total"] = Row(report.Total),
            ["rows"] = rows,
            ["days"] = days,
        };
    }

    private static JsonObject Row(FunnelRow row) => new()
    {
        ["key"] = row.Key,
        ["attracted"] = row.Attracted,
        ["attractedJoined"] = row.AttractedJoined,
        ["joined"] = row.Joined,
        ["eligible"] = row.Eligible,
        ["pending"] = row.Pending,
        ["activated"] = row.Activated,
        ["converted"] = row.Converted,
        ["excluded"] = row.Excluded,
        ["joinRate"] = row.JoinRate,
        ["joinCi95"] = Interval(row.JoinCi95),
        ["activationRate"] = row.ActivationRate,
        ["ci95"] = Interval(row.ActivationCi95),
        ["conversionRate"] = row.ConversionRate,
        ["medianTimeToActivate"] = row.MedianTimeToActivate is { } a ? Duration(a) : null,
        ["medianTimeToConvert"] = row.MedianTimeToConvert is { } c ? Duration(c) : null,
    };

    private static JsonArray? Interval(ConfidenceInterval? ci) => ci is { } c ? new JsonArray(c.Lower, c.Upper) : null;

    /// <summary>An instant as ISO-8601 with the offset it was given in, e.g. <c>2026-12-01T00:00:00+08:00</c>.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.ToString(value.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>A duration as ISO-8601 in hours, minutes and seconds, e.g. <c>PT24H</c>, <c>PT1H30M</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        var text = new StringBuilder("PT");
        var hours = (long)Math.Floor(value.TotalHours);
        var rest = value - TimeSpan.FromHours(hours);
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('H');
        }

        if (rest.Minutes > 0)
        {
            text.Append(rest.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
        }

        var seconds = rest - TimeSpan.FromMinutes(rest.Minutes);
        if (seconds > TimeSpan.Zero || text.Length == 2)
        {
            text.Append(((decimal)seconds.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
        }

        return text.ToString();
    }

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";

    public static ActivationBreakdownBy ParseBy(string? value) => value switch
    {
        "channel" => ActivationBreakdownBy.Channel,
        "group" => ActivationBreakdownBy.Group,
        "day" => ActivationBreakdownBy.Day,
        _ => ActivationBreakdownBy.None,
    };

    public static string TimeZone(CliArguments args)
    {
        var zone = args.Optional("time-zone") ?? "Asia/Shanghai";
        if (!TimeZones.TryFind(zone, out _))
        {
            throw new CliUsageException($"--time-zone: '{zone}' is not an IANA time zone known to this machine, e.g. Asia/Shanghai");
        }

        return zone;
    }
}
