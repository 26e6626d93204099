using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli.Tests;

public sealed class ActivationCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-activation-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// g1: a (poster) joins 11-01 10:00+08 and speaks 2 h later: activated. b (poster) joins 11-01 23:30+08 and
    /// speaks exactly 24 h later: not activated. c (no channel) joins 11-02 09:00+08 and never speaks. s is staff.
    /// d (qr) joins 11-03 12:00+08: pending at 11-04 00:00+08. One duplicate line.
    /// </summary>
    internal static string[] SampleLines =>
    [
        """{"id":"e1","type":"joined","group":"g1","member":"a","at":"2026-11-01T10:00:00+08:00","channel":"poster"}""",
        """{"id":"e2","type":"message","group":"g1","member":"a","at":"2026-11-01T12:00:00+08:00"}""",
        """{"id":"e3","type":"joined","group":"g1","member":"b","at":"2026-11-01T23:30:00+08:00","channel":"poster"}""",
        """{"id":"e4","type":"message","group":"g1","member":"b","at":"2026-11-02T23:30:00+08:00"}""",
        """{"id":"e5","type":"joined","group":"g2","member":"c","at":"2026-11-02T09:00:00+08:00"}""",
        """{"id":"e6","type":"joined","group":"g1","member":"s","at":"2026-11-01T09:00:00+08:00","channel":"poster","role":"staff"}""",
        """{"id":"e7","type":"joined","group":"g2","member":"d","at":"2026-11-03T12:00:00+08:00","channel":"qr"}""",
        """{"id":"e8","type":"order","group":"g1","member":"a","at":"2026-11-01T13:00:00+08:00","amount":9900,"currency":"CNY"}""",
        """{"id":"e2","type":"message","group":"g1","member":"a","at":"2026-11-01T12:00:00+08:00"}""",
    ];

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static JsonObject Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Err);
        return JsonNode.Parse(result.Out)!.AsObject();
    }

    [Fact]
    public void Json_HasExactlyTheIssuesFields_AndTheNumbers()
    {
        var json = Json(CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00"));

        Assert.Equal(["asOf", "window", "eligible", "activated", "pending", "excluded", "duplicates", "rate", "ci95"], json.Select(p => p.Key));
        Assert.Equal("2026-11-04T00:00:00+08:00", (string)json["asOf"]!);
        Assert.Equal("PT24H", (string)json["window"]!);
        Assert.Equal(3, (long)json["eligible"]!);
        Assert.Equal(1, (long)json["activated"]!);
        Assert.Equal(1, (long)json["pending"]!);
        Assert.Equal(1, (long)json["excluded"]!);
        Assert.Equal(1, (long)json["duplicates"]!);
        Assert.Equal(1.0 / 3, (double)json["rate"]!, 12);
        var ci = json["ci95"]!.AsArray();
        Assert.Equal(2, ci.Count);
        Assert.True((double)ci[0]! < 1.0 / 3 && 1.0 / 3 < (double)ci[1]!);
    }

    [Fact]
    public void ByChannel_ListsEveryKeyWithAJoin_IncludingNone()
    {
        var json = Json(CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00", "--by", "channel"));

        var rows = json["breakdown"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(["(none)", "poster", "qr"], rows.Select(r => (string)r["key"]!));
        Assert.Equal(["key", "eligible", "activated", "pending", "excluded", "rate", "attribution"], rows[0].Select(p => p.Key));
        Assert.Equal((2L, 1L, 1L), ((long)rows[1]["eligible"]!, (long)rows[1]["activated"]!, (long)rows[1]["excluded"]!));
        Assert.Null(rows[2]["rate"]);
        Assert.Equal(1, (long)rows[2]["pending"]!);

        // A v1 log states channels as facts: joins with a channel count as exact, those without as unknown.
        var attribution = rows.Select(r => r["attribution"]!.AsObject())
            .Select(a => ((long)a["exact"]!, (long)a["inferred"]!, (long)a["unknown"]!)).ToList();
        Assert.Equal((0L, 0L, (long)rows[0]["eligible"]! + (long)rows[0]["pending"]! + (long)rows[0]["excluded"]!), attribution[0]);
        Assert.Equal((3L, 0L, 0L), attribution[1]);
    }

    [Fact]
    public void ByChannel_CountsEachJoinsAttribution_FromTheV11Field()
    {
        string[] lines =
        [
            """{"id":"1","type":"joined","group":"g","member":"a","at":"2026-11-01T00:00:00Z","channel":"poster","attribution":"exact"}""",
            """{"id":"2","type":"joined","group":"g","member":"b","at":"2026-11-01T00:00:00Z","channel":"poster","attribution":"inferred"}""",
            """{"id":"3","type":"joined","group":"g","member":"c","at":"2026-11-01T00:00:00Z","channel":"unknown","attribution":"unknown"}""",
            """{"id":"4","type":"joined","group":"g","member":"d","at":"2026-11-01T00:00:00Z","channel":"poster","attribution":"inferred","scene":"discord:invite-diff"}""",
        ];
        var json = Json(CliRunner.Run("activation", "--events", Write(lines), "--as-of", "2026-11-04T00:00:00Z", "--by", "channel"));

        var rows = json["breakdown"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (string)r["key"]!);
        Assert.Equal("""{"exact":1,"inferred":2,"unknown":0}""", rows["poster"]["attribution"]!.ToJsonString());
        Assert.Equal("""{"exact":0,"inferred":0,"unknown":1}""", rows["unknown"]["attribution"]!.ToJsonString());
    }

    [Fact]
    public void ByChannel_Table_ShowsTheAttributionColumns()
    {
        string[] lines =
        [
            """{"id":"1","type":"joined","group":"g","member":"a","at":"2026-11-01T00:00:00Z","channel":"poster","attribution":"inferred"}""",
        ];
        var result = CliRunner.Run("activation", "--events", Write(lines), "--as-of", "2026-11-04T00:00:00Z", "--by", "channel", "--format", "table");

        Assert.Equal(0, result.ExitCode);
        var header = result.Out.Split('\n').First(l => l.StartsWith("channel", StringComparison.Ordinal));
        Assert.EndsWith("exact  inferred  unknown", header.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void ByDay_KeysAreLocalDaysInTheZone()
    {
        var path = Write(SampleLines);

        var shanghai = Json(CliRunner.Run("activation", "--events", path, "--as-of", "2026-11-04T00:00:00+08:00", "--by", "day", "--time-zone", "Asia/Shanghai"));
        var utc = Json(CliRunner.Run("activation", "--events", path, "--as-of", "2026-11-04T00:00:00+08:00", "--by", "day", "--time-zone", "UTC"));

        Assert.Equal(["2026-11-01", "2026-11-02", "2026-11-03"], shanghai["breakdown"]!.AsArray().Select(r => (string)r!["key"]!));
        // In UTC, c's 09:00+08 join is 01:00Z on 11-02 and b's 23:30+08 join is 15:30Z on 11-01.
        Assert.Equal([3L, 1L, 1L], utc["breakdown"]!.AsArray().Select(r => (long)r!["eligible"]! + (long)r!["pending"]! + (long)r!["excluded"]!));
    }

    [Fact]
    public void ByGroup_KeysAreGroupIds()
    {
        var json = Json(CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00", "--by", "group"));

        Assert.Equal(["g1", "g2"], json["breakdown"]!.AsArray().Select(r => (string)r!["key"]!));
    }

    [Theory]
    [InlineData("25h", "PT25H", 2L)]
    [InlineData("PT25H", "PT25H", 2L)]
    [InlineData("1d", "PT24H", 1L)]
    [InlineData("90m", "PT1H30M", 0L)]
    public void Window_AcceptsEveryDurationForm(string window, string echoed, long activated)
    {
        var json = Json(CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-05T00:00:00+08:00", "--window", window));

        Assert.Equal(echoed, (string)json["window"]!);
        Assert.Equal(activated, (long)json["activated"]!);
    }

    [Fact]
    public void Cohort_FromTo_IsHalfOpen()
    {
        var json = Json(CliRunner.Run(
            "activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00",
            "--from", "2026-11-01T10:00:00+08:00", "--to", "2026-11-02T09:00:00+08:00"));

        Assert.Equal((2L, 0L, 0L), ((long)json["eligible"]!, (long)json["pending"]!, (long)json["excluded"]!));
    }

    [Fact]
    public void RejoinEvery_CountsEachJoin()
    {
        var lines = SampleLines.Append("""{"id":"e9","type":"joined","group":"g1","member":"a","at":"2026-11-02T10:00:00+08:00","channel":"poster"}""").ToArray();

        var first = Json(CliRunner.Run("activation", "--events", Write(lines), "--as-of", "2026-11-04T00:00:00+08:00"));
        var every = Json(CliRunner.Run("activation", "--events", Write(lines), "--as-of", "2026-11-04T00:00:00+08:00", "--rejoin", "every"));

        Assert.Equal(3, (long)first["eligible"]!);
        Assert.Equal(4, (long)every["eligible"]!);
    }

    [Fact]
    public void NothingEligible_RateAndIntervalAreNull()
    {
        var json = Json(CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-01T11:00:00+08:00"));

        Assert.Equal(1, (long)json["pending"]!);
        Assert.Equal(JsonValueKind.Null, JsonSerializer.SerializeToElement(json["rate"]).ValueKind);
        Assert.True(json.ContainsKey("ci95"));
        Assert.Null(json["ci95"]);
    }

    [Fact]
    public void Table_ShowsTotalsAndBreakdown()
    {
        var result = CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00", "--by", "channel", "--format", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("33.33%", result.Out, StringComparison.Ordinal);
        Assert.Contains("poster", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--window", "0h", "--window")]
    [InlineData("--window", "soon", "--window")]
    [InlineData("--rejoin", "sometimes", "--rejoin")]
    [InlineData("--by", "week", "--by")]
    [InlineData("--time-zone", "Mars/Olympus", "--time-zone")]
    [InlineData("--from", "2026-11-01", "--from")]
    [InlineData("--colour", "red", "--colour")]
    public void BadOptions_AreUsageErrors_NamingTheOption(string option, string value, string named)
    {
        var result = CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00+08:00", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void MissingAsOf_OrMissingFile_IsBadUsage()
    {
        Assert.Equal(2, CliRunner.Run("activation", "--events", Write(SampleLines)).ExitCode);
        var missing = CliRunner.Run("activation", "--events", Path.Combine(_dir, "nope.jsonl"), "--as-of", "2026-11-04T00:00:00Z");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.jsonl", missing.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--window", "٩٠m", "--window: '٩٠m' is not a duration")]
    [InlineData("--window", "90 m", "--window: '90 m' is not a duration")]
    [InlineData("--as-of", "2026-11-04T00:00:00", "--as-of: '2026-11-04T00:00:00' is not an ISO-8601 instant with an offset")]
    [InlineData("--as-of", "04.11.2026 00:00:00 +00:00", "is not an ISO-8601 instant with an offset")]
    [InlineData("--as-of", "٢٠٢٦-11-04T00:00:00Z", "is not an ISO-8601 instant with an offset")]
    public void FlagsInAnotherCultureOrScript_OrWithoutAnOffset_AreBadUsage(string flag, string value, string expected)
    {
        var args = new List<string> { "activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00Z" };
        if (flag == "--as-of")
        {
            args[^1] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }

        var result = CliRunner.Run([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void FromNotBeforeTo_IsBadUsage()
    {
        var result = CliRunner.Run("activation", "--events", Write(SampleLines), "--as-of", "2026-11-04T00:00:00Z", "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--from", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLine_IsBadInput_NamingItsLine()
    {
        var lines = SampleLines.Take(3).Append("""{"id":"x","type":"message","group":"g1","member":"a","at":"2026-11-01T12:00:00"}""").ToArray();

        var result = CliRunner.Run("activation", "--events", Write(lines), "--as-of", "2026-11-04T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("4", result.Err, StringComparison.Ordinal);
    }
}
