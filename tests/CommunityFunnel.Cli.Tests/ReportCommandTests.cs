using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Activation;
using CommunityFunnel.Cli.Tests.Browser;
using CommunityFunnel.Events;
using CommunityFunnel.Reports;

namespace CommunityFunnel.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private const string AsOf = "2026-11-22T00:00:00+08:00";
    private static readonly string Policy = Path.Combine(RepoRoot(), "docs", "examples", "lifecycle-policy.json");
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-report-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("no CommunityFunnel.sln above the test binaries");
    }

    private string Simulated()
    {
        var path = Path.Combine(_dir, "events.jsonl");
        var result = CliRunner.Run("simulate", "--members", "1500", "--days", "21", "--seed", "21", "--out", path);
        Assert.True(result.ExitCode == 0, result.Err);
        return path;
    }

    private static JsonObject Report(params string[] args)
    {
        var result = CliRunner.Run(["report", .. args]);
        Assert.True(result.ExitCode == 0, result.Err);
        return JsonNode.Parse(result.Out)!.AsObject();
    }

    [Fact]
    public void Json_HoldsTheLibrarysNumbers_ForEveryView()
    {
        var path = Simulated();

        var json = Report("--events", path, "--as-of", AsOf, "--policy", Policy, "--lang", "en");

        var events = new EventLogReader().ReadFileEvents(path).ToList();
        var asOf = DateTimeOffset.Parse(AsOf, CultureInfo.InvariantCulture);
        var funnel = FunnelCalculator.Calculate(events, new FunnelQuery(asOf));
        var views = CommunityReportCalculator.Calculate(events, new CommunityReportQuery(asOf));
        Assert.Equal(funnel.Rows.Select(r => (r.Key, r.Attracted, r.Joined, r.JoinRate)),
            json["funnel"]!["rows"]!.AsArray().Select(r => ((string)r!["key"]!, (long?)r["attracted"], (long)r["joined"]!, (double?)r["joinRate"])));
        Assert.Equal(views.Retention.Select(c => (c.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Members, string.Join(",", c.Retained))),
            json["retention"]!.AsArray().Select(c => ((string)c!["week"]!, (long)c["members"]!, string.Join(",", c["retained"]!.AsArray().Select(v => (long)v!)))));
        Assert.Equal(views.Lifecycle.Select(l => (l.New, l.Returning, l.Resurrecting, l.Dormant)),
            json["lifecycle"]!.AsArray().Select(l => ((long)l!["new"]!, (long)l["returning"]!, (long)l["resurrecting"]!, (long)l["dormant"]!)));
        Assert.Equal(views.Growth.Select(g => (g.Joined, g.Left, g.Removed, g.Net)),
            json["growth"]!.AsArray().Select(g => ((long)g!["joined"]!, (long)g["left"]!, (long)g["removed"]!, (long)g["net"]!)));
        Assert.Equal(views.Messages.Counts.SelectMany(r => r), json["messages"]!["counts"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (long)v!)));
        Assert.Equal(views.TopInviters.Select(i => (i.Inviter, i.Invited, i.StillIn)),
            json["topInviters"]!.AsArray().Select(i => ((string)i!["inviter"]!, (long)i["invited"]!, (long)i["stillIn"]!)));

        // The simulated log measures every named channel's attract step, and not the joins without a channel.
        Assert.Null(json["funnel"]!["rows"]!.AsArray().Single(r => (string)r!["key"]! == "(none)")!["attracted"]);
        Assert.True((long)json["funnel"]!["total"]!["attracted"]! > (long)json["funnel"]!["total"]!["joined"]!);
        Assert.NotEmpty(json["atRisk"]!.AsArray());
        Assert.All(json["atRisk"]!.AsArray(), m => Assert.NotNull((string?)m!["removalDeadline"]));
        Assert.Equal(10, json["topInviters"]!.AsArray().Count);
    }

    [Fact]
    public void WithoutAPolicy_AtRiskIsNull_AndTheHtmlSaysItWasNotComputed()
    {
        var html = Path.Combine(_dir, "r.html");

        var json = Report("--events", Simulated(), "--as-of", AsOf, "--html", html, "--lang", "en");

        Assert.Null(json["atRisk"]);
        Assert.Contains("Not computed: it needs a lifecycle policy", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-Hant-TW", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("tr-TR", "en")]
    [InlineData("en-US", "en")]
    public void Lang_DefaultsFromTheUiCulture(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var html = Path.Combine(_dir, "r.html");
            var json = Report("--events", Simulated(), "--as-of", AsOf, "--html", html);

            Assert.Equal(expected, (string)json["lang"]!);
            Assert.Contains($"<html lang=\"{expected}\">", File.ReadAllText(html), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void InviteViews_ChangeNeitherTheLifecycleNorTheRewards()
    {
        var path = Simulated();
        var withoutViews = Path.Combine(_dir, "no-views.jsonl");
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(withoutViews, lines.Where(l => !l.Contains("\"invite_viewed\"", StringComparison.Ordinal)));
        Assert.True(lines.Length > File.ReadAllLines(withoutViews).Length);
        var rules = Path.Combine(RepoRoot(), "docs", "examples", "rewards-rules.json");

        foreach (var command in new[] { new[] { "lifecycle", "replay", "--policy", Policy }, ["rewards", "replay", "--rules", rules] })
        {
            string Run(string events)
            {
                var result = CliRunner.Run([.. command, "--events", events, "--as-of", AsOf, "--format", "table"]);
                Assert.True(result.ExitCode == 0, result.Err);
                return string.Join("\n", result.Out.Split('\n').Skip(1)); // the first line counts the events read
            }

            Assert.Equal(Run(withoutViews), Run(path));
        }
    }

    [Fact]
    public void BadOptions_AreBadUsage()
    {
        var path = Simulated();
        Assert.Equal(2, CliRunner.Run("report", "--events", path, "--as-of", AsOf, "--lang", "fr").ExitCode);
        Assert.Equal(2, CliRunner.Run("report", "--events", path, "--as-of", AsOf, "--weeks", "-1").ExitCode);
        Assert.Equal(2, CliRunner.Run("report", "--events", path, "--as-of", AsOf, "--policy", Path.Combine(_dir, "none.json")).ExitCode);
        Assert.Equal(2, CliRunner.Run("report", "--events", path, "--as-of", AsOf, "--html", Path.Combine(_dir, "no", "r.html")).ExitCode);
    }

    [Fact]
    public void Html_IsSelfContained_WithInlineSvgCharts_AndEscapesKeys()
    {
        var path = Simulated();
        File.AppendAllText(path, """{"id":"x1","type":"invite_viewed","group":"g-1","member":"v-x","at":"2026-11-02T10:00:00+08:00","channel":"<script>alert(1)</script>"}""" + "\n");
        var html = Path.Combine(_dir, "r.html");

        Report("--events", path, "--as-of", AsOf, "--html", html, "--lang", "zh-CN");

        var text = File.ReadAllText(html);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", text, StringComparison.OrdinalIgnoreCase);
        Assert.True(text.Split("<svg").Length - 1 >= 4, "funnel, lifecycle, growth and heat map charts");
        foreach (var zh in new[] { "社群运营报告", "留存矩阵", "消息热力图", "邀请排行", "未测量", "周一" })
        {
            Assert.Contains(zh, text, StringComparison.Ordinal);
        }
    }

    [BrowserTheory]
    [InlineData("en", "Retention by join week")]
    [InlineData("zh-CN", "留存矩阵（按入群周）")]
    public async Task Html_FitsDesktopAndPhone_AndItsNumbersAreTheJsons(string lang, string heading)
    {
        var html = Path.Combine(_dir, $"report-{lang}.html");
        var json = Report("--events", Simulated(), "--as-of", AsOf, "--html", html, "--lang", lang, "--policy", Policy);
        var expected = Expected(json);

        await using var browser = await HeadlessBrowser.StartAsync();
        foreach (var (width, height, mobile) in new[] { (1280, 900, false), (390, 844, true) })
        {
            var page = await browser.OpenAsync(html, width, height, mobile, readyExpression: "document.readyState === 'complete'");
            Assert.True(await page.FitsWidthAsync(), $"{lang} at {width} px scrolls sideways");
            await page.ScreenshotAsync(Path.Combine(HeadlessBrowser.ArtifactsFolder, $"community-report-{lang}-{width}.png"));

            var text = await page.TextAsync("document.body.innerText");
            Assert.Contains(heading, text, StringComparison.Ordinal);
            var dom = JsonNode.Parse(await page.TextAsync(
                "JSON.stringify([...document.querySelectorAll('[data-key]')].map(e => [e.dataset.key, e.dataset.value, e.textContent]))"))!.AsArray()
                .ToDictionary(n => (string)n![0]!, n => ((string)n![1]!, (string)n[2]!));
            foreach (var (key, value) in expected)
            {
                Assert.True(dom.TryGetValue(key, out var shown), $"{key} is not in the page");
                Assert.Equal(value, shown.Item1);
                Assert.Contains(Shown(key, value), shown.Item2, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>How the page writes a value: counts with thousands separators, rates as percentages with one decimal.</summary>
    private static string Shown(string key, string value)
    {
        if (value == "null")
        {
            return string.Empty;
        }

        if (key.EndsWith("Rate", StringComparison.Ordinal))
        {
            return (double.Parse(value, CultureInfo.InvariantCulture) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        }

        return long.Parse(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>Every number of the JSON that the page shows, by the page's data-key.</summary>
    private static Dictionary<string, string> Expected(JsonObject json)
    {
        var inv = CultureInfo.InvariantCulture;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string V(JsonNode? n) => n is null ? "null" : n.GetValueKind() == System.Text.Json.JsonValueKind.Number && n.ToJsonString().Contains('.', StringComparison.Ordinal)
            ? ((double)n).ToString("R", inv) : n.ToJsonString();
        var funnel = json["funnel"]!;
        foreach (var row in funnel["rows"]!.AsArray().Append(funnel["total"]))
        {
            foreach (var field in new[] { "attracted", "joined", "joinRate", "eligible", "activated", "activationRate", "converted", "conversionRate" })
            {
                map[$"funnel:{(string)row!["key"]!}:{field}"] = V(row[field]);
            }
        }

        foreach (var c in json["retention"]!.AsArray())
        {
            map[$"retention:{(string)c!["week"]!}:members"] = V(c["members"]);
            var retained = c["retained"]!.AsArray();
            for (var k = 0; k < retained.Count; k++)
            {
                map[$"retention:{(string)c["week"]!}:{k}"] = V(retained[k]);
            }
        }

        foreach (var l in json["lifecycle"]!.AsArray())
        {
            foreach (var field in new[] { "new", "returning", "resurrecting", "dormant" })
            {
                map[$"lifecycle:{(string)l!["week"]!}:{field}"] = V(l[field]);
            }
        }

        foreach (var g in json["growth"]!.AsArray())
        {
            map[$"growth:{(string)g!["date"]!}:joined"] = V(g["joined"]);
            map[$"growth:{(string)g["date"]!}:leaves"] = ((long)g["left"]! + (long)g["removed"]!).ToString(inv);
        }

        map["growth:total:net"] = json["growth"]!.AsArray().Sum(g => (long)g!["net"]!).ToString(inv);
        var counts = json["messages"]!["counts"]!.AsArray();
        for (var d = 0; d < 7; d++)
        {
            for (var h = 0; h < 24; h++)
            {
                map[$"messages:{d}:{h}"] = V(counts[d]![h]);
            }
        }

        map["messages:total"] = V(json["messages"]!["total"]);
        foreach (var i in json["topInviters"]!.AsArray())
        {
            map[$"inviter:{(string)i!["inviter"]!}:invited"] = V(i["invited"]);
            map[$"inviter:{(string)i["inviter"]!}:stillIn"] = V(i["stillIn"]);
        }

        map["atRisk:count"] = json["atRisk"]!.AsArray().Count.ToString(inv);
        return map;
    }
}
