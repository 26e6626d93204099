using System.Globalization;
using System.Net;
using System.Text;
using CommunityFunnel.Activation;
using CommunityFunnel.Members;

namespace CommunityFunnel.Reports;

/// <summary>
/// Renders a <see cref="FunnelReport"/> and a <see cref="CommunityReport"/> as one self-contained HTML page for
/// operators (docs/reports.md): inline CSS and SVG only, no scripts, nothing loaded from anywhere else; in Chinese
/// (<c>zh-CN</c>) or English (<c>en</c>); readable at 390 px phone width without sideways scrolling (charts scale
/// to the width, tables stack into one card per row on narrow screens). Every number shown carries its raw value
/// in a <c>data-value</c> attribute next to a <c>data-key</c> naming it, for checks against the JSON.
/// </summary>
public static class CommunityHtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The languages <see cref="Render"/> writes: <c>zh-CN</c> and <c>en</c>.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["zh-CN", "en"];

    /// <summary>
    /// The report language for a UI culture: <c>zh-CN</c> for any Chinese culture (<c>zh</c>, <c>zh-CN</c>,
    /// <c>zh-Hant-TW</c>, ...), <c>en</c> for every other.
    /// </summary>
    /// <param name="culture">The culture, e.g. <see cref="CultureInfo.CurrentUICulture"/>.</param>
    public static string LanguageFor(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";
    }

    /// <summary>Renders the page.</summary>
    /// <param name="funnel">The funnel report.</param>
    /// <param name="views">The cohort views.</param>
    /// <param name="language"><c>zh-CN</c> or <c>en</c>.</param>
    /// <returns>The whole page.</returns>
    /// <exception cref="ArgumentException"><paramref name="language"/> is not one of <see cref="Languages"/>.</exception>
    public static string Render(FunnelReport funnel, CommunityReport views, string language)
    {
        ArgumentNullException.ThrowIfNull(funnel);
        ArgumentNullException.ThrowIfNull(views);
        var t = language switch
        {
            "zh-CN" => Text.Chinese,
            "en" => Text.English,
            _ => throw new ArgumentException($"'{language}' is not a report language: zh-CN or en.", nameof(language)),
        };
        var h = new StringBuilder(64 * 1024);
        h.Append("<!DOCTYPE html>\n<html lang=\"").Append(language).Append("\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>").Append(E(t.Title)).Append("</title>\n<style>\n")
            .Append("*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;margin:0 auto;padding:12px;color:#1f2933;max-width:1100px;overflow-wrap:anywhere}\n")
            .Append("h1{font-size:21px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}\n")
            .Append("p.meta,.meta{color:#52606d;font-size:13px;margin:0 0 10px}.cards{display:flex;flex-wrap:wrap;gap:10px}\n")
            .Append(".card{border:1px solid #d9e2ec;border-radius:6px;padding:8px 10px;flex:1 1 150px;min-width:0}\n")
            .Append("svg{display:block;width:100%;height:auto}svg text{font-size:12px;fill:#1f2933}\n")
            .Append("table{border-collapse:collapse;font-size:12px;width:100%}th,td{padding:4px 6px;border-bottom:1px solid #e4e7eb;text-align:right}\n")
            .Append("th:first-child,td:first-child{text-align:left}th{background:#f0f4f8}\n")
            .Append("@media (max-width:700px){table.stack thead{display:none}table.stack tr{display:block;border:1px solid #d9e2ec;border-radius:6px;margin:0 0 8px;padding:4px 0}")
            .Append("table.stack td{display:flex;justify-content:space-between;gap:8px;border:0;padding:2px 8px;text-align:right}table.stack td::before{content:attr(data-label);color:#52606d;text-align:left}}\n")
            .Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>").Append(E(t.Title)).Append("</h1>\n<p class=\"meta\">").Append(E(t.AsOf)).Append(' ')
            .Append(E(views.AsOf.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv))).Append(" · ").Append(E(t.Zone)).Append(' ').Append(E(views.TimeZoneId))
            .Append(" · ").Append(E(t.Window)).Append(' ').Append(E(FunnelHtmlReport.FormatDuration(funnel.Window))).Append("</p>\n");

        Funnel(h, funnel, t);
        Retention(h, views.Retention, t);
        Lifecycle(h, views.Lifecycle, t);
        Growth(h, views.Growth, t);
        Heatmap(h, views.Messages, t);
        Inviters(h, views.TopInviters, t);
        AtRisk(h, views.AtRisk, t);
        h.Append("<p class=\"meta\">").Append(E(t.Footer)).Append("</p>\n</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>Writes the page to a UTF-8 file, replacing it.</summary>
    /// <param name="funnel">The funnel report.</param>
    /// <param name="views">The cohort views.</param>
    /// <param name="language"><c>zh-CN</c> or <c>en</c>.</param>
    /// <param name="path">The file to write.</param>
    public static void WriteFile(FunnelReport funnel, CommunityReport views, string language, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Render(funnel, views, language), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void Funnel(StringBuilder h, FunnelReport report, Text t)
    {
        h.Append("<h2>").Append(E(report.By == ActivationBreakdownBy.Group ? t.FunnelByGroup : t.FunnelByChannel)).Append("</h2>\n");
        string[] headers = [report.By == ActivationBreakdownBy.Group ? t.Group : t.Channel, t.Attracted, t.Joined, t.JoinRate, t.JoinCi, t.Eligible, t.Activated, t.ActivationRate, t.Converted, t.ConversionRate];
        TableStart(h, headers);
        foreach (var r in report.Rows.Append(report.Total))
        {
            var key = r.Key == "(all)" ? t.Total : r.Key;
            var k = "funnel:" + r.Key;
            h.Append("<tr><td data-label=\"").Append(E(headers[0])).Append("\">").Append(E(key)).Append("</td>");
            Cell(h, headers[1], k + ":attracted", r.Attracted, r.Attracted is { } a ? N(a) : t.NotMeasured);
            Cell(h, headers[2], k + ":joined", r.Joined, N(r.Joined));
            Cell(h, headers[3], k + ":joinRate", r.JoinRate, Percent(r.JoinRate));
            h.Append("<td data-label=\"").Append(E(headers[4])).Append("\">").Append(r.JoinCi95 is { } jc ? E($"{Percent(jc.Lower)}–{Percent(jc.Upper)}") : "–").Append("</td>");
            Cell(h, headers[5], k + ":eligible", r.Eligible, N(r.Eligible));
            Cell(h, headers[6], k + ":activated", r.Activated, N(r.Activated));
            Cell(h, headers[7], k + ":activationRate", r.ActivationRate, Percent(r.ActivationRate));
            Cell(h, headers[8], k + ":converted", r.Converted, N(r.Converted));
            Cell(h, headers[9], k + ":conversionRate", r.ConversionRate, Percent(r.ConversionRate));
            h.Append("</tr>\n");
        }

        h.Append("</tbody></table>\n<div class=\"cards\">\n");
        foreach (var r in report.Rows)
        {
            h.Append("<div class=\"card\">");
            FunnelChart(h, r, t);
            h.Append("</div>\n");
        }

        h.Append("</div>\n");
    }

    private static void FunnelChart(StringBuilder h, FunnelRow row, Text t) =>
        FunnelSvg.Append(h, row, [t.Attracted, t.Joined, t.Activated, t.Converted], t.NotMeasured);

    /// <summary>Writes a section's heading and note; when it has no rows, says so and returns false.</summary>
    private static bool Heading(StringBuilder h, string title, string note, int rows, Text t)
    {
        h.Append("<h2>").Append(E(title)).Append("</h2>\n<p class=\"meta\">").Append(E(note)).Append("</p>\n");
        if (rows == 0)
        {
            h.Append("<p>").Append(E(t.Nothing)).Append("</p>\n");
        }

        return rows > 0;
    }

    private static void Retention(StringBuilder h, IReadOnlyList<RetentionCohort> cohorts, Text t)
    {
        if (!Heading(h, t.Retention, t.RetentionNote, cohorts.Count, t))
        {
            return;
        }

        var columns = cohorts.Max(c => c.Retained.Count);
        var headers = new List<string> { t.JoinWeek, t.Members };
        headers.AddRange(Enumerable.Range(0, columns).Select(k => string.Format(Inv, t.WeekN, k)));
        TableStart(h, headers);
        foreach (var c in cohorts)
        {
            var week = Date(c.Week);
            h.Append("<tr><td data-label=\"").Append(E(t.JoinWeek)).Append("\">").Append(week).Append("</td>");
            Cell(h, t.Members, $"retention:{week}:members", c.Members, N(c.Members));
            for (var k = 0; k < columns; k++)
            {
                if (k < c.Retained.Count)
                {
                    var rate = c.Rate(k) ?? 0;
                    var shade = string.Create(Inv, $"background:rgba(47,129,50,{(0.08 + (0.6 * rate)):0.##})");
                    h.Append("<td style=\"").Append(shade).Append("\" data-label=\"").Append(E(headers[k + 2])).Append("\" data-key=\"retention:").Append(week).Append(':').Append(k)
                        .Append("\" data-value=\"").Append(c.Retained[k].ToString(Inv)).Append("\">").Append(E(Percent(c.Rate(k)))).Append(" (").Append(N(c.Retained[k])).Append(")</td>");
                }
                else
                {
                    h.Append("<td data-label=\"").Append(E(headers[k + 2])).Append("\">–</td>");
                }
            }

            h.Append("</tr>\n");
        }

        h.Append("</tbody></table>\n");
    }

    private static void Lifecycle(StringBuilder h, IReadOnlyList<LifecycleWeek> weeks, Text t)
    {
        if (!Heading(h, t.Lifecycle, t.LifecycleNote, weeks.Count, t))
        {
            return;
        }

        const int width = 720, height = 270, left = 40, mid = 130;
        var up = Math.Max(1, weeks.Max(w => w.New + w.Returning + w.Resurrecting));
        var down = Math.Max(1, weeks.Max(w => w.Dormant));
        var scale = Math.Min((mid - 10.0) / up, (height - 44.0 - mid) / down);
        var step = (width - left - 10.0) / weeks.Count;
        h.Append(Inv, $"<svg viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\"><title>{E(t.Lifecycle)}</title>");
        h.Append(Inv, $"<line x1=\"{left}\" y1=\"{mid}\" x2=\"{width - 10}\" y2=\"{mid}\" stroke=\"#9aa5b1\"/>");
        string[] colors = ["#2f8132", "#486581", "#d69e2e", "#c53030"];
        for (var i = 0; i < weeks.Count; i++)
        {
            var w = weeks[i];
            var x = left + (i * step) + (step * 0.15);
            var bw = step * 0.7;
            var y = (double)mid;
            long[] ups = [w.New, w.Returning, w.Resurrecting];
            string[] names = [t.New, t.Returning, t.Resurrecting];
            for (var s = 0; s < 3; s++)
            {
                var hgt = ups[s] * scale;
                y -= hgt;
                h.Append(Inv, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{bw:0.#}\" height=\"{hgt:0.#}\" fill=\"{colors[s]}\" data-key=\"lifecycle:{Date(w.Week)}:{Keys[s]}\" data-value=\"{ups[s]}\"><title>{Date(w.Week)} {E(names[s])} {N(ups[s])}</title></rect>");
            }

            var dh = w.Dormant * scale;
            h.Append(Inv, $"<rect x=\"{x:0.#}\" y=\"{mid}\" width=\"{bw:0.#}\" height=\"{dh:0.#}\" fill=\"{colors[3]}\" data-key=\"lifecycle:{Date(w.Week)}:dormant\" data-value=\"{w.Dormant}\"><title>{Date(w.Week)} {E(t.Dormant)} -{N(w.Dormant)}</title></rect>");
            if (weeks.Count <= 12 || i % (int)Math.Ceiling(weeks.Count / 12.0) == 0)
            {
                h.Append(Inv, $"<text x=\"{x + (bw / 2):0.#}\" y=\"{height - 22}\" text-anchor=\"middle\" font-size=\"11\">{w.Week.ToString("MM-dd", Inv)}</text>");
            }
        }

        Legend(h, [(t.New, colors[0]), (t.Returning, colors[1]), (t.Resurrecting, colors[2]), (t.Dormant, colors[3])], left, height - 6);
        h.Append("</svg>\n");
    }

    private static readonly string[] Keys = ["new", "returning", "resurrecting"];

    /// <summary>The at-risk table shows the members with the earliest deadlines, at most this many (the JSON has them all).</summary>
    private const int MaxAtRiskRows = 50;

    private static void Growth(StringBuilder h, IReadOnlyList<GrowthDay> days, Text t)
    {
        h.Append("<h2>").Append(E(t.Growth)).Append("</h2>\n");
        if (days.Count == 0)
        {
            h.Append("<p>").Append(E(t.Nothing)).Append("</p>\n");
            return;
        }

        const int width = 720, height = 270, left = 40, mid = 120;
        var max = Math.Max(1, days.Max(d => Math.Max(d.Joined, d.Left + d.Removed)));
        var scale = Math.Min(mid - 12.0, height - 44.0 - mid) / max;
        var step = (width - left - 10.0) / days.Count;
        h.Append(Inv, $"<svg viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\"><title>{E(t.Growth)}</title>");
        h.Append(Inv, $"<line x1=\"{left}\" y1=\"{mid}\" x2=\"{width - 10}\" y2=\"{mid}\" stroke=\"#9aa5b1\"/>");
        h.Append(Inv, $"<text x=\"{left - 4}\" y=\"{mid - 100}\" text-anchor=\"end\" font-size=\"10\">+{N(max)}</text><text x=\"{left - 4}\" y=\"{mid + 108}\" text-anchor=\"end\" font-size=\"10\">-{N(max)}</text>");
        var net = new StringBuilder();
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var x = left + (i * step);
            var key = Date(d.Date);
            h.Append(Inv, $"<rect x=\"{x:0.##}\" y=\"{mid - (d.Joined * scale):0.#}\" width=\"{Math.Max(0.5, step * 0.8):0.##}\" height=\"{d.Joined * scale:0.#}\" fill=\"#2f8132\" data-key=\"growth:{key}:joined\" data-value=\"{d.Joined}\"><title>{key} {E(t.Joined)} {N(d.Joined)}</title></rect>");
            h.Append(Inv, $"<rect x=\"{x:0.##}\" y=\"{mid}\" width=\"{Math.Max(0.5, step * 0.8):0.##}\" height=\"{(d.Left + d.Removed) * scale:0.#}\" fill=\"#c53030\" data-key=\"growth:{key}:leaves\" data-value=\"{d.Left + d.Removed}\"><title>{key} {E(t.LeftRemoved)} {N(d.Left + d.Removed)} ({N(d.Left)} + {N(d.Removed)})</title></rect>");
            net.Append(Inv, $"{x + (step * 0.4):0.##},{mid - (Math.Clamp(d.Net, -max, max) * scale):0.#} ");
        }

        h.Append("<polyline fill=\"none\" stroke=\"#243b53\" stroke-width=\"1.5\" points=\"").Append(net.ToString().TrimEnd()).Append("\"/>");
        var labelStep = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
        for (var i = 0; i < days.Count; i += labelStep)
        {
            h.Append(Inv, $"<text x=\"{left + (i * step):0.#}\" y=\"{height - 22}\" font-size=\"11\">{days[i].Date.ToString("MM-dd", Inv)}</text>");
        }

        Legend(h, [(t.Joined, "#2f8132"), (t.LeftRemoved, "#c53030"), (t.Net, "#243b53")], left, height - 4);
        h.Append("</svg>\n<p class=\"meta\">").Append(E(t.Joined)).Append(' ').Append(Total(h, "growth:total:joined", days.Sum(d => d.Joined)))
            .Append(" · ").Append(E(t.LeftRemoved)).Append(' ').Append(Total(h, "growth:total:leaves", days.Sum(d => d.Left + d.Removed)))
            .Append(" · ").Append(E(t.Net)).Append(' ').Append(Total(h, "growth:total:net", days.Sum(d => d.Net))).Append("</p>\n");
    }

    private static string Total(StringBuilder _, string key, long value) =>
        string.Create(Inv, $"<span data-key=\"{key}\" data-value=\"{value}\">{N(value)}</span>");

    private static void Heatmap(StringBuilder h, MessageHeatmap map, Text t)
    {
        h.Append("<h2>").Append(E(t.Heatmap)).Append("</h2>\n");
        const int left = 34, top = 16, cell = 26, rowH = 24;
        var width = left + (24 * cell) + 4;
        var height = top + (7 * rowH) + 4;
        var max = Math.Max(1, map.Counts.Max(r => r.Max()));
        h.Append(Inv, $"<svg viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\"><title>{E(t.Heatmap)}</title>");
        for (var hour = 0; hour < 24; hour += 3)
        {
            h.Append(Inv, $"<text x=\"{left + (hour * cell) + 2}\" y=\"12\" font-size=\"11\">{hour:00}</text>");
        }

        for (var d = 0; d < 7; d++)
        {
            h.Append(Inv, $"<text x=\"0\" y=\"{top + (d * rowH) + 16}\" font-size=\"11\">{E(t.Weekdays[d])}</text>");
            for (var hour = 0; hour < 24; hour++)
            {
                var v = map.Counts[d][hour];
                var alpha = v == 0 ? 0.04 : 0.12 + (0.88 * v / max);
                h.Append(Inv, $"<rect x=\"{left + (hour * cell)}\" y=\"{top + (d * rowH)}\" width=\"{cell - 2}\" height=\"{rowH - 2}\" fill=\"#1d4ed8\" fill-opacity=\"{alpha:0.###}\" data-key=\"messages:{d}:{hour}\" data-value=\"{v}\"><title>{E(t.Weekdays[d])} {hour:00}:00 · {N(v)}</title></rect>");
            }
        }

        h.Append("</svg>\n<p class=\"meta\">").Append(E(t.HeatmapNote)).Append(' ').Append(Total(h, "messages:total", map.Total)).Append("</p>\n");
    }

    private static void Inviters(StringBuilder h, IReadOnlyList<InviterRow> inviters, Text t)
    {
        h.Append("<h2>").Append(E(t.Inviters)).Append("</h2>\n");
        if (inviters.Count == 0)
        {
            h.Append("<p>").Append(E(t.NoInviters)).Append("</p>\n");
            return;
        }

        TableStart(h, [t.Inviter, t.Invited, t.StillIn]);
        foreach (var i in inviters)
        {
            h.Append("<tr><td data-label=\"").Append(E(t.Inviter)).Append("\">").Append(E(i.Inviter)).Append("</td>");
            Cell(h, t.Invited, "inviter:" + i.Inviter + ":invited", i.Invited, N(i.Invited));
            Cell(h, t.StillIn, "inviter:" + i.Inviter + ":stillIn", i.StillIn, N(i.StillIn));
            h.Append("</tr>\n");
        }

        h.Append("</tbody></table>\n");
    }

    private static void AtRisk(StringBuilder h, IReadOnlyList<AtRiskMember>? members, Text t)
    {
        h.Append("<h2>").Append(E(t.AtRisk)).Append("</h2>\n");
        if (members is null)
        {
            h.Append("<p class=\"meta\">").Append(E(t.AtRiskNotComputed)).Append("</p>\n");
            return;
        }

        h.Append("<p class=\"meta\"><span data-key=\"atRisk:count\" data-value=\"").Append(members.Count.ToString(Inv)).Append("\">").Append(N(members.Count)).Append("</span> ").Append(E(t.AtRiskCount)).Append("</p>\n");
        if (members.Count == 0)
        {
            return;
        }

        TableStart(h, [t.Member, t.Group, t.Reason, t.Deadline]);
        if (members.Count > MaxAtRiskRows)
        {
            h.Append("<p class=\"meta\">").Append(E(string.Format(Inv, t.FirstN, MaxAtRiskRows))).Append("</p>\n");
        }

        foreach (var m in members.Take(MaxAtRiskRows))
        {
            h.Append("<tr><td data-label=\"").Append(E(t.Member)).Append("\">").Append(E(m.Member)).Append("</td><td data-label=\"").Append(E(t.Group)).Append("\">").Append(E(m.Group))
                .Append("</td><td data-label=\"").Append(E(t.Reason)).Append("\">").Append(E(t.ReasonName(m.Reason) + (m.Task is null ? string.Empty : " · " + m.Task)))
                .Append("</td><td data-label=\"").Append(E(t.Deadline)).Append("\">").Append(E(m.RemovalDeadline?.ToString("yyyy-MM-dd HH:mm zzz", Inv) ?? "–")).Append("</td></tr>\n");
        }

        h.Append("</tbody></table>\n");
    }

    private static void Legend(StringBuilder h, (string Label, string Color)[] items, int x, int y)
    {
        var at = (double)x;
        foreach (var (label, color) in items)
        {
            h.Append(Inv, $"<rect x=\"{at:0.#}\" y=\"{y - 10}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{at + 14:0.#}\" y=\"{y}\" font-size=\"11\">{E(label)}</text>");
            at += 24 + (label.Length * 9);
        }
    }

    private static void TableStart(StringBuilder h, IReadOnlyList<string> headers)
    {
        h.Append("<table class=\"stack\"><thead><tr>");
        foreach (var header in headers)
        {
            h.Append("<th>").Append(E(header)).Append("</th>");
        }

        h.Append("</tr></thead><tbody>\n");
    }

    private static void Cell(StringBuilder h, string label, string key, long? value, string text) =>
        h.Append("<td data-label=\"").Append(E(label)).Append("\" data-key=\"").Append(E(key)).Append("\" data-value=\"").Append(value?.ToString(Inv) ?? "null").Append("\">").Append(E(text)).Append("</td>");

    private static void Cell(StringBuilder h, string label, string key, double? value, string text) =>
        h.Append("<td data-label=\"").Append(E(label)).Append("\" data-key=\"").Append(E(key)).Append("\" data-value=\"").Append(value?.ToString("R", Inv) ?? "null").Append("\">").Append(E(text)).Append("</td>");

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Inv);

    private static string N(long value) => value.ToString("N0", Inv);

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", Inv) + "%" : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private sealed record Text
    {
        public static readonly Text English = new();

        public static readonly Text Chinese = new()
        {
            Title = "社群运营报告", AsOf = "截至", Zone = "时区", Window = "激活窗口", FunnelByChannel = "引流漏斗（按渠道）", FunnelByGroup = "引流漏斗（按群）",
            Channel = "渠道", Group = "群", Total = "合计", Attracted = "引流（扫码/访问人数）", Joined = "入群", JoinRate = "扫码→入群率", JoinCi = "95% 置信区间",
            Eligible = "可计入", Activated = "激活", ActivationRate = "激活率", Converted = "转化", ConversionRate = "转化率", NotMeasured = "未测量",
            Retention = "留存矩阵（按入群周）", RetentionNote = "第 k 周：该周结束时仍在群内且当周有活跃行为的成员占该周入群成员的比例。", JoinWeek = "入群周", Members = "成员",
            WeekN = "第 {0} 周", Lifecycle = "每周生命周期", LifecycleNote = "新增：本周首次入群且活跃；回访：本周和上周都活跃；复活：本周活跃、上周不活跃且更早入群；沉睡：上周活跃、本周不活跃（向下）。",
            New = "新增", Returning = "回访", Resurrecting = "复活", Dormant = "沉睡", Growth = "每日入群与退群（净增长）", LeftRemoved = "退群/移出", Net = "净增长",
            Heatmap = "消息热力图（星期 × 小时）", HeatmapNote = "成员消息数（不含员工和机器人），按报告时区的本地时间。合计", Weekdays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
            Inviters = "邀请排行", NoInviters = "日志中的入群事件没有邀请人（by）。", Inviter = "邀请人", Invited = "邀请人数", StillIn = "仍在群内",
            AtRisk = "风险成员", AtRiskNotComputed = "未计算：需要生命周期策略（--policy）。", AtRiskCount = "名成员处于风险中", Member = "成员", Reason = "原因", Deadline = "移出期限",
            Nothing = "暂无数据。", FirstN = "按移出期限显示最早的 {0} 名（完整名单见 JSON）。", Footer = "定义见 docs/reports.md 与 event-log/v1.1。员工和机器人不计入。",
            Reasons = ["无", "昵称不合规", "长期未发言", "任务逾期", "任务被驳回", "禁止再次入群"],
        };

        public string Title { get; init; } = "Community report";
        public string AsOf { get; init; } = "As of";
        public string Zone { get; init; } = "time zone";
        public string Window { get; init; } = "activation window";
        public string FunnelByChannel { get; init; } = "Funnel by channel";
        public string FunnelByGroup { get; init; } = "Funnel by group";
        public string Channel { get; init; } = "Channel";
        public string Group { get; init; } = "Group";
        public string Total { get; init; } = "Total";
        public string Attracted { get; init; } = "Attracted (visitors)";
        public string Joined { get; init; } = "Joined";
        public string JoinRate { get; init; } = "Scan → join";
        public string JoinCi { get; init; } = "95% CI";
        public string Eligible { get; init; } = "Eligible";
        public string Activated { get; init; } = "Activated";
        public string ActivationRate { get; init; } = "Activation rate";
        public string Converted { get; init; } = "Converted";
        public string ConversionRate { get; init; } = "Conversion rate";
        public string NotMeasured { get; init; } = "not measured";
        public string Retention { get; init; } = "Retention by join week";
        public string RetentionNote { get; init; } = "Week k: the share of the week's new members who were still in the group at the end of week k and active during it.";
        public string JoinWeek { get; init; } = "Join week";
        public string Members { get; init; } = "Members";
        public string WeekN { get; init; } = "Week {0}";
        public string Lifecycle { get; init; } = "Lifecycle per week";
        public string LifecycleNote { get; init; } = "New: first joined this week and active; returning: active this week and last; resurrecting: active this week, not last, joined earlier; dormant: active last week, not this week (down).";
        public string New { get; init; } = "new";
        public string Returning { get; init; } = "returning";
        public string Resurrecting { get; init; } = "resurrecting";
        public string Dormant { get; init; } = "dormant";
        public string Growth { get; init; } = "Joins and leaves per day (net growth)";
        public string LeftRemoved { get; init; } = "left or removed";
        public string Net { get; init; } = "net";
        public string Heatmap { get; init; } = "Messages by weekday and hour";
        public string HeatmapNote { get; init; } = "Members' messages (staff and bots left out), in the report's time zone. Total";
        public IReadOnlyList<string> Weekdays { get; init; } = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        public string Inviters { get; init; } = "Top inviters";
        public string NoInviters { get; init; } = "No join in the log names an inviter (by).";
        public string Inviter { get; init; } = "Inviter";
        public string Invited { get; init; } = "Invited";
        public string StillIn { get; init; } = "Still in";
        public string AtRisk { get; init; } = "Members at risk";
        public string AtRiskNotComputed { get; init; } = "Not computed: it needs a lifecycle policy (--policy).";
        public string AtRiskCount { get; init; } = "members at risk";
        public string Member { get; init; } = "Member";
        public string Reason { get; init; } = "Reason";
        public string Deadline { get; init; } = "Removal deadline";
        public string Nothing { get; init; } = "Nothing yet.";
        public string FirstN { get; init; } = "The {0} with the earliest removal deadlines (the JSON lists all).";
        public string Footer { get; init; } = "Definitions: docs/reports.md and event-log/v1.1. Staff and bots are left out.";
        public IReadOnlyList<string> Reasons { get; init; } = ["none", "nickname", "inactive", "task overdue", "task rejected", "rejoin banned"];

        public string ReasonName(LifecycleReason reason) => (int)reason < Reasons.Count ? Reasons[(int)reason] : reason.ToString();
    }
}
