using System.Globalization;
using CommunityFunnel.Activation;
using CommunityFunnel.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Demo;

/// <summary>The Activation part of the demo: the 24-hour activation rate by channel, and the HTML funnel report.</summary>
internal static class ActivationDemo
{
    public static void Run(DemoContext demo)
    {
        var reporter = demo.Services.GetRequiredService<IActivationReporter>();
        var query = reporter.CreateQuery(demo.AsOf) with { BreakdownBy = ActivationBreakdownBy.Channel };
        var report = reporter.Calculate(demo.Events, query);

        var o = demo.Out;
        o.WriteLine();
        o.WriteLine($"24-hour activation rate as of {demo.AsOf:yyyy-MM-dd HH:mm zzz} (window {query.Window.TotalHours:0} h):");
        o.WriteLine($"  {"channel",-20} {"eligible",9} {"activated",10} {"rate",7}  95% interval       {"pending",8} {"excluded",9}");
        foreach (var row in report.Breakdown)
        {
            o.WriteLine($"  {row.Key,-20} {row.Eligible,9:N0} {row.Activated,10:N0} {Percent(row.Rate),7}  {Interval(row.Ci95),-17} {row.Pending,8:N0} {row.Excluded,9:N0}");
        }

        o.WriteLine($"  {"all channels",-20} {report.Eligible,9:N0} {report.Activated,10:N0} {Percent(report.Rate),7}  {Interval(report.Ci95),-17} {report.Pending,8:N0} {report.Excluded,9:N0}");

        var funnel = reporter.CalculateFunnel(demo.Events, reporter.CreateFunnelQuery(demo.AsOf));
        var path = Path.Combine(demo.OutputDirectory, "funnel-report.html");
        FunnelHtmlReport.WriteFile(funnel, path);
        o.WriteLine($"  converted (first order): {funnel.Total.Converted:N0} of {funnel.Total.Joined:N0} joined ({Percent(funnel.Total.ConversionRate)})");
        o.WriteLine($"  attracted (distinct visitors of invite_viewed): {funnel.Total.Attracted:N0}, scan -> join {Percent(funnel.Total.JoinRate)} ({Interval(funnel.Total.JoinCi95)})");
        o.WriteLine($"Funnel report (HTML): {path}");

        // The cohort views operators read, with the funnel, in the UI culture's language (zh-CN for Chinese, else en).
        var views = CommunityReportCalculator.Calculate(demo.Events, new CommunityReportQuery(demo.AsOf));
        var community = Path.Combine(demo.OutputDirectory, "community-report.html");
        var lang = CommunityHtmlReport.LanguageFor(CultureInfo.CurrentUICulture);
        CommunityHtmlReport.WriteFile(funnel, views, lang, community);
        o.WriteLine($"  {views.Retention.Count} join-week cohorts, {views.Messages.Total:N0} member messages, top inviter {views.TopInviters.FirstOrDefault()?.Inviter ?? "-"}");
        o.WriteLine($"Community report (HTML, {lang}): {community}");
    }

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Interval(ConfidenceInterval? ci) => ci is { } c ? $"{Percent(c.Lower)} - {Percent(c.Upper)}" : "-";
}
