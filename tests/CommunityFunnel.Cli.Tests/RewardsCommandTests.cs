using System.Text.Json.Nodes;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Cli.Tests;

public sealed class RewardsCommandTests : IDisposable
{
    /// <summary>A copy of docs/examples/rewards-rules.json (the presets); a test below keeps the two in step.</summary>
    private const string PresetRules = """
        {
          "timeZone": "Asia/Shanghai",
          "budgets": [
            { "id": "streak-coupons", "limit": 500 }
          ],
          "rules": [
            {
              "id": "checkin-weekly-ticket",
              "trigger": { "kind": "checkin" },
              "eligibility": { "states": ["inGroup"] },
              "rewards": [{ "kind": "tickets", "quantity": 1, "draw": "weekly-{week}" }],
              "limits": { "perMemberPerDay": 1 }
            },
            {
              "id": "streak-7-coupon",
              "trigger": { "kind": "streak", "count": 7 },
              "eligibility": { "states": ["inGroup"] },
              "rewards": [{ "kind": "coupon", "coupon": { "kind": "percentOff", "percentOff": 20, "validDays": 14 } }],
              "limits": { "perMemberPerWeek": 1 },
              "budget": "streak-coupons"
            },
            {
              "id": "order-free-order-draw",
              "trigger": { "kind": "orderTotal", "period": "month", "amount": 0 },
              "rewards": [{ "kind": "tickets", "quantity": 1, "draw": "free-order-{month}" }],
              "limits": { "perMemberPerMonth": 1 }
            },
            {
              "id": "share-screenshot-points",
              "trigger": { "kind": "approved", "task": "share-screenshot" },
              "eligibility": { "states": ["inGroup"] },
              "rewards": [{ "kind": "points", "quantity": 50 }],
              "limits": { "perMemberPerDay": 1 }
            },
            {
              "id": "suggestion-weekly-ticket",
              "trigger": { "kind": "submitted", "task": "suggestion-form" },
              "eligibility": { "states": ["inGroup"] },
              "rewards": [{ "kind": "tickets", "quantity": 1, "draw": "weekly-{week}" }],
              "limits": { "perMemberPerWeek": 1 }
            }
          ]
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("cf-rewards-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Events(params string[] lines) => Write("events.jsonl", string.Join("\n", lines) + "\n");

    private static string Line(string id, string type, string member, string at, string extra = "") =>
        $$"""{"id":"{{id}}","type":"{{type}}","group":"g1","member":"{{member}}","at":"{{at}}"{{extra}}}""";

    private string SampleLog() => Events(
        Line("j1", "joined", "alice", "2026-11-01T09:00:00+08:00", ",\"channel\":\"poster\""),
        Line("j2", "joined", "bob", "2026-11-01T09:00:00+08:00"),
        Line("j3", "joined", "staff1", "2026-11-01T09:00:00+08:00", ",\"role\":\"staff\""),
        Line("c1", "checkin", "alice", "2026-11-02T08:00:00+08:00", ",\"task\":\"daily\""),
        Line("c2", "checkin", "alice", "2026-11-03T08:00:00+08:00", ",\"task\":\"daily\""),
        Line("c3", "checkin", "bob", "2026-11-03T23:59:00+08:00", ",\"task\":\"daily\""),
        Line("c3", "checkin", "bob", "2026-11-03T23:59:00+08:00", ",\"task\":\"daily\""),
        Line("c4", "checkin", "staff1", "2026-11-03T10:00:00+08:00", ",\"task\":\"daily\""),
        Line("o1", "order", "bob", "2026-11-04T10:00:00+08:00", ",\"amount\":9900,\"currency\":\"CNY\""),
        Line("s1", "task_approved", "alice", "2026-11-04T10:00:00+08:00", ",\"task\":\"share-screenshot\""),
        Line("s2", "task_rejected", "alice", "2026-11-05T10:00:00+08:00", ",\"task\":\"share-screenshot\""),
        Line("f1", "task_submitted", "bob", "2026-11-05T10:00:00+08:00", ",\"task\":\"suggestion-form\""),
        Line("late", "checkin", "bob", "2026-12-01T10:00:00+08:00", ",\"task\":\"daily\""));

    [Fact]
    public void Replay_Json_ReportsRulesKindsBudgetsMembersAndDraws()
    {
        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00+08:00");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Err);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(11, (long)json["events"]!); // 13 lines, one duplicate, one at or after --as-of
        Assert.Equal(1, (long)json["duplicates"]!);
        var rules = json["rules"]!.AsArray().ToDictionary(r => (string)r!["rule"]!, r => r!);
        Assert.Equal(3, (long)rules["checkin-weekly-ticket"]["grants"]!);
        Assert.Equal(3, (long)rules["checkin-weekly-ticket"]["tickets"]!);
        Assert.Equal(1, (long)rules["share-screenshot-points"]["reversals"]!);
        Assert.Equal(0, (long)rules["share-screenshot-points"]["points"]!);
        Assert.Equal(1, (long)rules["order-free-order-draw"]["tickets"]!);
        Assert.Equal(5, (long)json["kinds"]!["tickets"]!);
        Assert.Equal(500, (long)json["budgets"]![0]!["remaining"]!);
        var draws = json["draws"]!.AsArray().Select(d => ((string)d!["drawId"]!, (long)d["tickets"]!)).ToList();
        Assert.Equal([("free-order-2026-11", 1L), ("weekly-2026-11-02", 4L)], draws);
        var bob = json["members"]!.AsArray().Single(m => (string)m!["member"]! == "bob")!;
        Assert.Equal(3, (long)bob["tickets"]!);
        Assert.DoesNotContain(json["members"]!.AsArray(), m => (string)m!["member"]! == "staff1");
    }

    [Fact]
    public void Replay_Table_PrintsTheSections()
    {
        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00+08:00", "--format", "table");

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "checkin-weekly-ticket", "streak-coupons", "weekly-2026-11-02", "alice", "(total)" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EntriesFor_WritesTheFairDrawInputShape_SortedById()
    {
        var output = Path.Combine(_dir, "entries.json");

        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00+08:00", "--entries-for", "weekly-2026-11-02", "--entries-out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("wrote 2 entries", result.Err, StringComparison.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        Assert.Equal(["drawId", "entries"], json.Select(p => p.Key));
        Assert.Equal("weekly-2026-11-02", (string)json["drawId"]!);
        var entries = json["entries"]!.AsArray().Select(e => ((string)e!["id"]!, (long)e["weight"]!)).ToList();
        Assert.Equal([("alice", 2L), ("bob", 2L)], entries);
        Assert.All(json["entries"]!.AsArray(), e => Assert.Equal(["id", "weight"], e!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public void EntriesFor_ADrawWithoutEntries_IsANegativeFinding_AndWritesNothing()
    {
        var output = Path.Combine(_dir, "none.json");

        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00+08:00", "--entries-for", "weekly-2030-01-07", "--entries-out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no entries", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--events", "missing")]
    [InlineData("--rules", "missing")]
    [InlineData("--as-of", "missing")]
    public void MissingOptions_AreBadUsage(string left, string _)
    {
        var args = new List<string> { "rewards", "replay", "--events", SampleLog(), "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00+08:00" };
        var i = args.IndexOf(left);
        args.RemoveRange(i, 2);

        var result = CliRunner.Run([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing required option " + left, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRulesFile_IsBadInput_NamingTheRuleAndField()
    {
        var rules = Write("bad.json", """{ "rules": [{ "id": "x", "trigger": { "kind": "streak", "count": 0 }, "rewards": [{ "kind": "points" }] }] }""");

        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", rules, "--as-of", "2026-12-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rules[x].trigger.count", result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("""{ "rules": [ """, "not valid JSON (line 1)")]
    [InlineData("""{ "rules": [{ "id": "x", "trigger": { "kind": "sometimes" } }] }""", "trigger.kind")]
    public void MalformedRulesFile_IsBadInput(string text, string expected)
    {
        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("bad.json", text), "--as-of", "2026-12-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "rewards" }, "missing subcommand")]
    [InlineData(new[] { "rewards", "grant" }, "unknown subcommand 'grant'")]
    [InlineData(new[] { "rewards", "replay", "--events", "x", "--rules", "y", "--as-of", "2026-12-01T00:00:00Z", "--colour", "red" }, "unknown option --colour")]
    [InlineData(new[] { "rewards", "replay", "--events", "x", "--rules", "y", "--as-of", "2026-12-01" }, "--as-of")]
    [InlineData(new[] { "rewards", "replay", "--events", "x", "--rules", "y", "--as-of", "2026-12-01T00:00:00Z", "--entries-out", "z" }, "--entries-out needs --entries-for")]
    [InlineData(new[] { "rewards", "replay", "--events", "x", "--rules", "y", "--as-of", "2026-12-01T00:00:00Z", "--format", "xml" }, "--format")]
    public void BadUsage_ExitsTwo_WithAMessage(string[] args, string expected)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFiles_AreBadUsage()
    {
        var rules = Write("rules.json", PresetRules);

        Assert.Contains("--rules: no such file", CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Path.Combine(_dir, "nope.json"), "--as-of", "2026-12-01T00:00:00Z").Err, StringComparison.Ordinal);
        Assert.Contains("--events: no such file", CliRunner.Run("rewards", "replay", "--events", Path.Combine(_dir, "nope.jsonl"), "--rules", rules, "--as-of", "2026-12-01T00:00:00Z").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEventLine_IsBadInput_WithItsLineNumber()
    {
        var events = Events(Line("a", "checkin", "m", "2026-11-02T08:00:00+08:00", ",\"task\":\"t\""), """{"id":"b","type":"checkin"}""");

        var result = CliRunner.Run("rewards", "replay", "--events", events, "--rules", Write("rules.json", PresetRules), "--as-of", "2026-12-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ShowsTheExactShape()
    {
        var result = CliRunner.Run("rewards", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("community-funnel rewards replay --events FILE --rules FILE --as-of ISO [--format json|table]", result.Out, StringComparison.Ordinal);
        Assert.Contains("--entries-for DRAW", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TheExampleRulesFile_IsThePresets()
    {
        Assert.Equal(RewardPresets.SeedArticle().ToJson(), RewardRuleSet.Parse(PresetRules).ToJson());

        // Keep the copy in step with docs/examples/rewards-rules.json when the repository is at hand.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
        {
            dir = dir.Parent;
        }

        var example = dir is null ? null : Path.Combine(dir.FullName, "docs", "examples", "rewards-rules.json");
        if (example is not null && File.Exists(example))
        {
            Assert.Equal(PresetRules.ReplaceLineEndings("\n").Trim(), File.ReadAllText(example).ReplaceLineEndings("\n").Trim());
        }
    }

    [Theory]
    [InlineData("""{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}],"activeFrom":"2026-01-01T03:00:00"}]}""", "rules[r].activeFrom")]
    [InlineData("""{"rules":[{"id":"no-trigger","rewards":[{"kind":"points","quantity":7}]}]}""", "rules[no-trigger].trigger: is required")]
    [InlineData("""{"rules":[{"id":"r","trigger":{"kind":"orderTotal","period":"fortnight"},"rewards":[{"kind":"points"}]}]}""", "rules[r].trigger.period: must be one of day, week, month, ever")]
    public void RulesFileProblems_ExitTwo_NamingTheField(string rules, string expected)
    {
        var result = CliRunner.Run("rewards", "replay", "--events", SampleLog(), "--rules", Write("bad.json", rules), "--as-of", "2026-12-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    private string[] StreakLog(params string[] extra)
    {
        var lines = new List<string> { Line("j1", "joined", "alice", "2026-11-01T09:00:00+08:00") };
        for (var d = 2; d <= 8; d++)
        {
            lines.Add(Line($"c{d}", "checkin", "alice", $"2026-11-{d:00}T08:00:00+08:00", ",\"task\":\"daily\""));
        }

        lines.AddRange(extra);
        return [.. lines];
    }

    [Fact]
    public void Replay_IssuesOneCodePerCouponGrant_AndCountsTheOrdersThatRedeemIt()
    {
        var rules = Write("rules.json", PresetRules);
        var codes = Path.Combine(_dir, "codes.jsonl");
        var first = CliRunner.Run("rewards", "replay", "--events", Events(StreakLog()), "--rules", rules, "--as-of", "2026-12-01T00:00:00+08:00", "--codes-out", codes);
        Assert.Equal(0, first.ExitCode);
        var line = Assert.Single(File.ReadAllLines(codes));
        var coupon = JsonNode.Parse(line)!.AsObject();
        Assert.Equal("alice", (string)coupon["member"]!);
        Assert.Equal("streak-7-coupon", (string)coupon["rule"]!);
        var code = (string)coupon["code"]!;
        Assert.StartsWith("CF", code, StringComparison.Ordinal);
        Assert.Equal(11, code.Length);
        Assert.Equal(1, (int)JsonNode.Parse(first.Out)!["coupons"]!["issued"]!);
        Assert.Equal(0, (int)JsonNode.Parse(first.Out)!["coupons"]!["redeemed"]!);

        // The same log with two orders: one with the issued code, one with a code nobody issued.
        var log = Events(StreakLog(
            Line("o1", "order", "alice", "2026-11-10T10:00:00+08:00", $",\"amount\":20000,\"currency\":\"CNY\",\"coupon\":\"{code}\""),
            Line("o2", "order", "alice", "2026-11-11T10:00:00+08:00", ",\"amount\":5000,\"currency\":\"CNY\",\"coupon\":\"CF22222222X\"")));
        var second = CliRunner.Run("rewards", "replay", "--events", log, "--rules", rules, "--as-of", "2026-12-01T00:00:00+08:00");
        Assert.Equal(0, second.ExitCode);
        var section = JsonNode.Parse(second.Out)!["coupons"]!;
        Assert.Equal(1, (int)section["issued"]!);
        Assert.Equal(1, (int)section["redeemed"]!);
        Assert.Equal(1, (long)section["orders"]!);
        Assert.Equal(20000, (long)section["revenue"]!);
        Assert.Equal(1, (long)section["unknownCodeOrders"]!);
        var rule = Assert.Single(section["rules"]!.AsArray())!;
        Assert.Equal("streak-7-coupon", (string)rule["rule"]!);
        Assert.Equal(1.0, (double)rule["redemptionRate"]!);

        var table = CliRunner.Run("rewards", "replay", "--events", log, "--rules", rules, "--as-of", "2026-12-01T00:00:00+08:00", "--format", "table");
        Assert.Contains("coupons: 1 codes issued, 1 redeemed by 1 orders, 1 orders with an unknown code", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_Codes_AreTheSameForTheSameSeed_AndDifferForAnother()
    {
        var rules = Write("rules.json", PresetRules);
        var log = Events(StreakLog());
        string Code(string seed)
        {
            var codes = Path.Combine(_dir, $"codes-{seed}.jsonl");
            Assert.Equal(0, CliRunner.Run("rewards", "replay", "--events", log, "--rules", rules, "--as-of", "2026-12-01T00:00:00+08:00", "--code-seed", seed, "--codes-out", codes).ExitCode);
            return (string)JsonNode.Parse(File.ReadAllLines(codes).Single())!["code"]!;
        }

        Assert.Equal(Code("7"), Code("7"));
        Assert.NotEqual(Code("7"), Code("8"));
        Assert.Contains("--code-seed", CliRunner.Run("rewards", "replay", "--events", log, "--rules", rules, "--as-of", "2026-12-01T00:00:00Z", "--code-seed", "x").Err, StringComparison.Ordinal);
    }
}
