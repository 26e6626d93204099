using System.Globalization;
using System.Net;
using System.Text;

namespace CommunityFunnel.Activation;

/// <summary>
/// Renders a <see cref="FunnelReport"/> as one self-contained HTML page: inline CSS and SVG only, no scripts,
/// no fonts, images or styles from anywhere else. It holds a funnel chart per row (channel or group), the
/// activation rate by join day with its 95% Wilson band, and the cohort table.
/// </summary>
public static class FunnelHtmlReport
{
    private const int ChartWidth = 1040;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="report"/> as an HTML document.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The whole page, UTF-8 ready.</returns>
    public static string Render(FunnelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>Community funnel report</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2933;max-width:1100px}\n")
            .Append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}\n")
            .Append("p.meta{color:#52606d;margin:0 0 12px}.cards{display:flex;flex-wrap:wrap;gap:12px}\n")
            .Append(".card{border:1px solid #d9e2ec;border-radius:6px;padding:8px 10px}\n")
            .Append("table{border-collapse:collapse;font-size:12px}th,td{padding:3px 6px;border-bottom:1px solid #e4e7eb;text-align:right;white-space:nowrap}\n")
            .Append("th:first-child,td:first-child{text-align:left}th{background:#f0f4f8}\n")
            .Append("svg text{font-size:12px;fill:#1f2933}svg{max-width:100%;height:auto}\n")
            .Append("@media (max-width:700px){body{margin:10px}table thead{display:none}table tr{display:block;border:1px solid #d9e2ec;border-radius:6px;margin:0 0 8px}")
            .Append("table td{display:flex;justify-content:space-between;gap:8px;border:0;white-space:normal;padding:2px 8px}table td::before{content:attr(data-label);color:#52606d}}\n</style>\n</head>\n<body>\n");
        html.Append("<h1>Community funnel report</h1>\n<p class=\"meta\">As of ").Append(Encode(report.AsOf.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv)))
            .Append(" · activation window ").Append(Encode(FormatDuration(report.Window)))
            .Append(" · ").Append(report.Duplicates.ToString("N0", Inv)).Append(" duplicate events ignored</p>\n");

        AppendSummary(html, report.Total);
        html.Append("<h2>Funnel by ").Append(report.By == ActivationBreakdownBy.Group ? "group" : "channel").Append("</h2>\n<div class=\"cards\">\n");
        foreach (var row in report.Rows)
        {
            html.Append("<div class=\"card\">\n");
            AppendFunnel(html, row);
            html.Append("</div>\n");
        }

        html.Append("</div>\n<h2>Activation rate by join day (95% Wilson interval)</h2>\n");
        AppendDayChart(html, report.Days);
        html.Append("<h2>Cohorts by join day</h2>\n");
        AppendTable(html, "Join day", report.Days);
        html.Append("<h2>").Append(report.By == ActivationBreakdownBy.Group ? "Groups" : "Channels").Append("</h2>\n");
        AppendTable(html, report.By == ActivationBreakdownBy.Group ? "Group" : "Channel", [.. report.Rows, report.Total]);
        html.Append("<p class=\"meta\">Pending joins (window still open) are left out of the activation rate; staff and bots are excluded. ")
            .Append("Definitions: event-log/v1, &#8220;The 24-hour activation rate&#8221;.</p>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page of <paramref name="report"/> to a UTF-8 file, replacing it.</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file to write.</param>
    public static void WriteFile(FunnelReport report, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Render(report), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void AppendSummary(StringBuilder html, FunnelRow total)
    {
        html.Append("<div class=\"cards\">\n");
        Card(html, "Joined", total.Joined.ToString("N0", Inv));
        Card(html, "Eligible", total.Eligible.ToString("N0", Inv));
        Card(html, "Pending", total.Pending.ToString("N0", Inv));
        Card(html, "Activation rate", Percent(total.ActivationRate) + (total.ActivationCi95 is { } ci ? $" ({Percent(ci.Lower)}–{Percent(ci.Upper)})" : string.Empty));
        Card(html, "Converted", total.Converted.ToString("N0", Inv) + " (" + Percent(total.ConversionRate) + ")");
        Card(html, "Staff and bots excluded", total.Excluded.ToString("N0", Inv));
        html.Append("</div>\n");
    }

    private static void Card(StringBuilder html, string label, string value) =>
        html.Append("<div class=\"card\"><div class=\"meta\">").Append(Encode(label)).Append("</div><strong>").Append(Encode(value)).Append("</strong></div>\n");

    private static void AppendFunnel(StringBuilder html, FunnelRow row) =>
        FunnelSvg.Append(html, row, ["attracted", "joined", "activated", "converted"], "not measured",
        [
            string.Empty,
            row.Attracted is null ? string.Empty : Percent(row.JoinRate) + " of visitors",
            Percent(row.ActivationRate) + " of eligible",
            Percent(row.ConversionRate) + " of joined",
        ]);

    private static void AppendDayChart(StringBuilder html, IReadOnlyList<FunnelRow> days)
    {
        const int height = 300, left = 48, right = 48, top = 12, bottom = 56;
        var plotWidth = ChartWidth - left - right;
        var plotHeight = height - top - bottom;
        html.Append(Inv, $"<svg width=\"{ChartWidth}\" height=\"{height}\" viewBox=\"0 0 {ChartWidth} {height}\" role=\"img\">\n");
        html.Append("<title>Activation rate by join day</title>\n");
        for (var p = 0; p <= 100; p += 25)
        {
            var y = top + (plotHeight * (100 - p) / 100.0);
            html.Append(Inv, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{ChartWidth - right}\" y2=\"{y:0.#}\" stroke=\"#e4e7eb\"/>\n");
            html.Append(Inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{p}%</text>\n");
        }

        var n = days.Count;
        double X(int i) => left + (n <= 1 ? plotWidth / 2.0 : plotWidth * i / (double)(n - 1));
        double Y(double rate) => top + (plotHeight * (1 - rate));
        var withRate = Enumerable.Range(0, n).Where(i => days[i].ActivationRate is not null).ToList();
        if (withRate.Count > 0)
        {
            var band = new StringBuilder();
            foreach (var i in withRate)
            {
                band.Append(Inv, $"{X(i):0.#},{Y(days[i].ActivationCi95!.Value.Upper):0.#} ");
            }

            for (var k = withRate.Count - 1; k >= 0; k--)
            {
                var i = withRate[k];
                band.Append(Inv, $"{X(i):0.#},{Y(days[i].ActivationCi95!.Value.Lower):0.#} ");
            }

            html.Append("<polygon fill=\"#bcccdc\" fill-opacity=\"0.6\" stroke=\"none\" points=\"").Append(band.ToString().TrimEnd()).Append("\"/>\n");
            html.Append("<polyline fill=\"none\" stroke=\"#243b53\" stroke-width=\"2\" points=\"")
                .AppendJoin(' ', withRate.Select(i => string.Create(Inv, $"{X(i):0.#},{Y(days[i].ActivationRate!.Value):0.#}")))
                .Append("\"/>\n");
            foreach (var i in withRate)
            {
                html.Append(Inv, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(days[i].ActivationRate!.Value):0.#}\" r=\"3\" fill=\"#243b53\"><title>{Encode(days[i].Key)}: {Percent(days[i].ActivationRate)} of {days[i].Eligible:N0}</title></circle>\n");
            }
        }
        else
        {
            html.Append(Inv, $"<text x=\"{left + 10}\" y=\"{top + 20}\">No join day has an eligible member yet.</text>\n");
        }

        var step = Math.Max(1, (int)Math.Ceiling(n / 10.0));
        for (var i = 0; i < n; i += step)
        {
            html.Append(Inv, $"<text x=\"{X(i):0.#}\" y=\"{height - bottom + 18}\" text-anchor=\"middle\">{Encode(days[i].Key)}</text>\n");
        }

        html.Append(Inv, $"<text x=\"{left}\" y=\"{height - 8}\" fill=\"#52606d\">line: activation rate of the joins of each day; band: its 95% Wilson interval; days with only pending joins have no point</text>\n");
        html.Append("</svg>\n");
    }

    private static void AppendTable(StringBuilder html, string keyHeader, IReadOnlyList<FunnelRow> rows)
    {
        string[] headers = [keyHeader, "Attracted", "Joined", "Eligible", "Pending", "Activ.", "Rate", "95% CI", "Conv.", "Conv. rate", "Median to act.", "Median to conv.", "Excluded"];
        html.Append("<table>\n<thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            html.Append("<tr><td data-label=\"").Append(Encode(keyHeader)).Append("\">").Append(Encode(r.Key)).Append("</td>");
            var column = 1;
            foreach (var cell in new[]
            {
                r.Attracted is { } attracted ? attracted.ToString("N0", Inv) : "not measured", r.Joined.ToString("N0", Inv), r.Eligible.ToString("N0", Inv), r.Pending.ToString("N0", Inv),
                r.Activated.ToString("N0", Inv), Percent(r.ActivationRate),
                r.ActivationCi95 is { } ci ? $"{Percent(ci.Lower)}–{Percent(ci.Upper)}" : "–",
                r.Converted.ToString("N0", Inv), Percent(r.ConversionRate), FormatDuration(r.MedianTimeToActivate), FormatDuration(r.MedianTimeToConvert),
                r.Excluded.ToString("N0", Inv),
            })
            {
                html.Append("<td data-label=\"").Append(Encode(headers[column++])).Append("\">").Append(Encode(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", Inv) + "%" : "–";

    internal static string FormatDuration(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "–";
        }

        return s.TotalHours > 48 ? string.Create(Inv, $"{s.TotalDays:0.#} d")
            : s.TotalHours >= 1 ? string.Create(Inv, $"{s.TotalHours:0.#} h")
            : s.TotalMinutes >= 1 ? string.Create(Inv, $"{s.TotalMinutes:0.#} min")
            : string.Create(Inv, $"{s.TotalSeconds:0.#} s");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
