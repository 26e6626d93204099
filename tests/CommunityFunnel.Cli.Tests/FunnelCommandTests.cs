using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace CommunityFunnel.Cli.Tests;

public sealed class FunnelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-funnel-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Log(params string[] extra)
    {
        var path = Path.Combine(_dir, "events.jsonl");
        File.WriteAllLines(path, ActivationCommandTests.SampleLines.Concat(extra));
        return path;
    }

    [Fact]
    public void Json_PerChannel_CountsEachStep_RatesAndMedians()
    {
        var result = CliRunner.Run("funnel", "--events", Log(), "--as-of", "2026-11-04T00:00:00+08:00");

        Assert.True(result.ExitCode == 0, result.Err);
        var json = JsonNode.Parse(result.Out)!.AsObject();
        Assert.Equal("channel", (string)json["by"]!);
        var poster = json["rows"]!.AsArray().Single(r => (string)r!["key"]! == "poster")!.AsObject();
        Assert.Null(poster["attracted"]); // a v1 log has no invite_viewed: not measured
        Assert.Null(poster["joinRate"]);
        Assert.Equal(2, (long)poster["joined"]!);
        Assert.Equal(1, (long)poster["activated"]!);
        Assert.Equal(1, (long)poster["converted"]!);
        Assert.Equal(1, (long)poster["excluded"]!);
        Assert.Equal(0.5, (double)poster["activationRate"]!);
        Assert.Equal(0.5, (double)poster["conversionRate"]!);
        Assert.Equal("PT2H", (string)poster["medianTimeToActivate"]!);
        Assert.Equal("PT3H", (string)poster["medianTimeToConvert"]!);
        var total = json["total"]!.AsObject();
        Assert.Equal((4L, 3L, 1L), ((long)total["joined"]!, (long)total["eligible"]!, (long)total["pending"]!));
        Assert.Equal(["2026-11-01", "2026-11-02", "2026-11-03"], json["days"]!.AsArray().Select(d => (string)d!["key"]!));
    }

    [Fact]
    public void Json_WithInviteViews_GivesAttracted_AndTheScanToJoinRateWithItsInterval()
    {
        string View(int i, string visitor) =>
            $$"""{"id":"v{{i}}","type":"invite_viewed","group":"g1","member":"{{visitor}}","at":"2026-11-01T19:00:00+08:00","channel":"poster"}""";

        var result = CliRunner.Run("funnel", "--events", Log(View(1, "v-a"), View(2, "v-b"), View(3, "v-a"), View(4, "v-c"), View(5, "v-d")), "--as-of", "2026-11-04T00:00:00+08:00");

        Assert.True(result.ExitCode == 0, result.Err);
        var json = JsonNode.Parse(result.Out)!.AsObject();
        var poster = json["rows"]!.AsArray().Single(r => (string)r!["key"]! == "poster")!.AsObject();
        Assert.Equal((4L, 2L, 0.5), ((long)poster["attracted"]!, (long)poster["attractedJoined"]!, (double)poster["joinRate"]!));
        var ci = CommunityFunnel.Activation.ConfidenceInterval.Wilson95(2, 4)!.Value;
        Assert.Equal([ci.Lower, ci.Upper], poster["joinCi95"]!.AsArray().Select(x => (double)x!));
        Assert.Equal(4L, (long)json["total"]!["attracted"]!);
    }

    [Fact]
    public void ByGroup_RowsAreGroups()
    {
        var result = CliRunner.Run("funnel", "--events", Log(), "--as-of", "2026-11-04T00:00:00+08:00", "--by", "group", "--format", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("g1", result.Out, StringComparison.Ordinal);
        Assert.Contains("g2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IsOneWellFormedSelfContainedPage_WithChartsAndTables()
    {
        var html = Path.Combine(_dir, "report.html");
        var hostile = """{"id":"x1","type":"joined","group":"g3","member":"z","at":"2026-11-02T10:00:00+08:00","channel":"<script>alert('x')</script> & co"}""";

        var result = CliRunner.Run("funnel", "--events", Log(hostile), "--as-of", "2026-11-04T00:00:00+08:00", "--html", html);

        Assert.True(result.ExitCode == 0, result.Err);
        var text = File.ReadAllText(html);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var doc = XDocument.Load(reader);
        var all = doc.Descendants().ToList();
        Assert.Equal("html", doc.Root!.Name.LocalName);
        Assert.True(all.Count(e => e.Name.LocalName == "svg") >= 2, "a funnel chart per channel and the day chart");
        Assert.Contains(all, e => e.Name.LocalName == "polygon"); // the Wilson band
        Assert.Equal(2, all.Count(e => e.Name.LocalName == "table"));
        Assert.DoesNotContain(all, e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object");
        Assert.DoesNotContain(all.Attributes(), a => a.Name.LocalName is "src" or "href" or "xlink:href" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
    }

    [CommunityFunnel.Cli.Tests.Browser.BrowserFact]
    public async Task Html_FitsAPhoneAndADesktop_WithoutSidewaysScrolling()
    {
        var events = Path.Combine(_dir, "sim.jsonl");
        Assert.Equal(0, CliRunner.Run("simulate", "--members", "800", "--days", "14", "--seed", "3", "--out", events).ExitCode);
        var html = Path.Combine(_dir, "funnel.html");
        Assert.Equal(0, CliRunner.Run("funnel", "--events", events, "--as-of", "2026-11-15T00:00:00+08:00", "--html", html).ExitCode);

        await using var browser = await CommunityFunnel.Cli.Tests.Browser.HeadlessBrowser.StartAsync();
        foreach (var (width, mobile) in new[] { (1280, false), (390, true) })
        {
            var page = await browser.OpenAsync(html, width, 844, mobile, readyExpression: "document.readyState === 'complete'");
            Assert.True(await page.FitsWidthAsync(), $"the funnel report scrolls sideways at {width} px");
            await page.ScreenshotAsync(Path.Combine(CommunityFunnel.Cli.Tests.Browser.HeadlessBrowser.ArtifactsFolder, $"funnel-report-{width}.png"));
        }
    }

    [Fact]
    public void Html_InAMissingDirectory_IsBadUsage()
    {
        var result = CliRunner.Run("funnel", "--events", Log(), "--as-of", "2026-11-04T00:00:00Z", "--html", Path.Combine(_dir, "no", "such", "r.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--html", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ByDay_IsNotAFunnelRow_AndUnknownOptionsAreRejected()
    {
        Assert.Equal(2, CliRunner.Run("funnel", "--events", Log(), "--as-of", "2026-11-04T00:00:00Z", "--by", "day").ExitCode);
        Assert.Equal(2, CliRunner.Run("funnel", "--events", Log(), "--as-of", "2026-11-04T00:00:00Z", "--rejoin", "every", "--foo", "1").ExitCode);
    }
}
