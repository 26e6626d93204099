using System.Globalization;
using System.Net;
using System.Text;

namespace CommunityFunnel.Activation;

/// <summary>
/// The funnel of one row (attracted, joined, activated, converted) as inline SVG, for both HTML reports
/// (<see cref="FunnelHtmlReport"/> in English, the community report in its language). A step that was not measured
/// (<see cref="FunnelRow.Attracted"/> without views) is drawn as a dashed outline with <c>notMeasured</c>.
/// </summary>
internal static class FunnelSvg
{
    private const int Width = 320, BarHeight = 26, Gap = 8, Top = 24, TextWidth = 140;
    private static readonly string[] Colors = ["#9fb3c8", "#486581", "#2f8132", "#c05621"];

    /// <param name="html">Where the SVG goes.</param>
    /// <param name="row">The row drawn.</param>
    /// <param name="labels">The four steps' names, in the page's language.</param>
    /// <param name="notMeasured">The text for a step that was not measured.</param>
    /// <param name="rates">A line under each step (empty for none), or null for no rate lines.</param>
    public static void Append(StringBuilder html, FunnelRow row, IReadOnlyList<string> labels, string notMeasured, IReadOnlyList<string>? rates = null)
    {
        var inv = CultureInfo.InvariantCulture;
        long?[] values = [row.Attracted, row.Joined, row.Activated, row.Converted];
        var max = Math.Max(1, values.Max(v => v ?? 0));
        var height = Top + (values.Length * (BarHeight + Gap));
        // Its own size where there is room, narrower on a phone (both pages' styles leave the chart's width to it).
        html.Append(inv, $"<svg width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" style=\"width:100%;max-width:{Width}px;height:auto\" role=\"img\">\n");
        html.Append("<title>").Append(WebUtility.HtmlEncode(row.Key)).Append("</title>\n");
        html.Append("<text x=\"0\" y=\"15\" font-weight=\"bold\">").Append(WebUtility.HtmlEncode(row.Key)).Append("</text>\n");
        for (var i = 0; i < values.Length; i++)
        {
            var label = WebUtility.HtmlEncode(labels[i]);
            var y = Top + (i * (BarHeight + Gap));
            if (values[i] is { } value)
            {
                var w = Math.Max(2.0, (Width - TextWidth) * (double)value / max);
                html.Append(inv, $"<rect x=\"{(Width - TextWidth - w) / 2:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{BarHeight}\" rx=\"3\" fill=\"{Colors[i]}\"/>\n");
                html.Append(inv, $"<text x=\"{Width - TextWidth + 6}\" y=\"{y + 12}\">{label} {value:N0}</text>\n");
            }
            else
            {
                html.Append(inv, $"<rect x=\"0\" y=\"{y}\" width=\"{Width - TextWidth}\" height=\"{BarHeight}\" rx=\"3\" fill=\"none\" stroke=\"#9fb3c8\" stroke-dasharray=\"4 3\"/>\n");
                html.Append(inv, $"<text x=\"{Width - TextWidth + 6}\" y=\"{y + 12}\">{label}: {WebUtility.HtmlEncode(notMeasured)}</text>\n");
            }

            if (rates is not null && rates[i].Length > 0)
            {
                html.Append(inv, $"<text x=\"{Width - TextWidth + 6}\" y=\"{y + 25}\" fill=\"#52606d\">{WebUtility.HtmlEncode(rates[i])}</text>\n");
            }
        }

        html.Append("</svg>\n");
    }
}
