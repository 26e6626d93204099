using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli.Tests;

public sealed class LifecycleCommandTests : IDisposable
{
    private static readonly string Policy = Path.Combine(AppContext.BaseDirectory, "Data", "lifecycle-policy.json");
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-lifecycle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string SeedEvents() => Write(
        "events.jsonl",
        """{"id":"e1","type":"joined","group":"g1","member":"a1","at":"2026-11-02T10:00:00+08:00","channel":"poster"}""",
        """{"id":"e2","type":"joined","group":"g1","member":"b2","at":"2026-11-02T10:00:00+08:00"}""",
        """{"id":"e3","type":"joined","group":"g1","member":"s1","at":"2026-11-02T09:00:00+08:00","role":"staff"}""",
        """{"id":"e4","type":"joined","group":"g1","member":"m-owner","at":"2026-11-02T09:00:00+08:00"}""",
        """{"id":"e5","type":"nickname_changed","group":"g1","member":"a1","at":"2026-11-02T11:00:00+08:00","nickname":"上海-王伟-设计师"}""",
        """{"id":"e6","type":"task_submitted","group":"g1","member":"a1","at":"2026-11-02T12:00:00+08:00","task":"share-screenshot"}""",
        """{"id":"e7","type":"task_approved","group":"g1","member":"a1","at":"2026-11-02T13:00:00+08:00","task":"share-screenshot","by":"s1"}""",
        """{"id":"e8","type":"message","group":"g1","member":"old-timer","at":"2026-11-02T12:00:00+08:00"}""",
        """{"id":"e9","type":"message","group":"g1","member":"a1","at":"2026-11-02T12:30:00+08:00"}""",
        """{"id":"e9","type":"message","group":"g1","member":"a1","at":"2026-11-02T12:30:00+08:00"}""",
        """{"id":"e10","type":"message","group":"g1","member":"a1","at":"2026-11-07T12:30:00+08:00"}""");

    [Fact]
    public void Replay_Json_CountsStates_ListsActions_AndFinalStates()
    {
        var result = CliRunner.Run("lifecycle", "replay", "--events", SeedEvents(), "--policy", Policy, "--as-of", "2026-11-06T00:00:00+08:00");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Err);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(9, json["events"]!.GetValue<long>());
        Assert.Equal(1, json["duplicates"]!.GetValue<long>());
        Assert.Equal(1, json["ignoredAfterAsOf"]!.GetValue<long>());
        var states = json["states"]!;
        Assert.Equal(
            (0, 4, 0, 1, 0),
            (states["onboarding"]!.GetValue<int>(), states["active"]!.GetValue<int>(), states["at_risk"]!.GetValue<int>(), states["removed"]!.GetValue<int>(), states["left"]!.GetValue<int>()));

        var actions = json["actions"]!.AsArray().Select(a => $"{a!["at"]} {a["kind"]} {a["member"]} {a["reason"]} {a["deadline"]}").ToList();
        Assert.Equal(
            [
                "2026-11-02T01:00:00Z welcome m-owner  ",
                "2026-11-02T02:00:00Z welcome a1  ",
                "2026-11-02T02:00:00Z welcome b2  ",
                "2026-11-02T03:00:00Z congratulation a1  ",
                "2026-11-03T02:00:00Z reminder b2 nickname 2026-11-05T02:00:00Z",
                "2026-11-05T02:00:00Z removal b2 nickname ",
            ],
            actions);
        Assert.Equal(3, json["actionCounts"]!["welcome"]!.GetValue<int>());

        var members = json["finalStates"]!.AsArray().ToDictionary(m => m!["member"]!.GetValue<string>(), m => m!);
        Assert.Equal("removed", members["b2"]["state"]!.GetValue<string>());
        Assert.Equal("active", members["a1"]["state"]!.GetValue<string>());
        Assert.True(members["a1"]["activatedWithinWindow"]!.GetValue<bool>());
        Assert.True(members["old-timer"]["joinedBeforeTracking"]!.GetValue<bool>());
        Assert.True(members["s1"]["protected"]!.GetValue<bool>());
        Assert.Null(members["old-timer"]["joinedAt"]);
    }

    [Fact]
    public void Replay_Table_HasTheThreeSections()
    {
        var result = CliRunner.Run("lifecycle", "replay", "--events", SeedEvents(), "--policy", Policy, "--as-of", "2026-11-06T00:00:00+08:00", "--format", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Lifecycle as of 2026-11-05T16:00:00Z: 9 events, 5 members, 6 actions", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"\nremoved +1\n", result.Out);
        Assert.Contains("2026-11-05T02:00:00Z  removal", result.Out, StringComparison.Ordinal);
        Assert.Contains("old-timer", result.Out, StringComparison.Ordinal);
        Assert.Contains("before-tracking", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_AsOfEarlier_SeesLess()
    {
        var result = CliRunner.Run("lifecycle", "replay", "--events", SeedEvents(), "--policy", Policy, "--as-of", "2026-11-03T10:00:00+08:00");

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(0, json["actionCounts"]!["removal"]!.GetValue<int>());
        Assert.Equal(0, json["actionCounts"]!["reminder"]!.GetValue<int>()); // the nickname deadline is at exactly as-of: not before it
        Assert.Equal(1, json["states"]!["onboarding"]!.GetValue<int>());
    }

    [Fact]
    public void Graph_Mermaid_IsTheDefault_AndDotOnRequest()
    {
        var mermaid = CliRunner.Run("lifecycle", "graph", "--policy", Policy);
        var dot = CliRunner.Run("lifecycle", "graph", "--policy", Policy, "--format", "dot");
        var vip = CliRunner.Run("lifecycle", "graph", "--policy", Policy, "--group", "g-vip");

        Assert.Equal(0, mermaid.ExitCode);
        Assert.StartsWith("stateDiagram-v2\n    onboarding : ", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("    active --> at_risk : deadline - inactive (3d)\n", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("    active --> at_risk : deadline - task share-screenshot (48h)\n", mermaid.Out, StringComparison.Ordinal);
        Assert.Equal(0, dot.ExitCode);
        Assert.StartsWith("digraph lifecycle {\n", dot.Out, StringComparison.Ordinal);
        Assert.EndsWith("}\n", dot.Out, StringComparison.Ordinal);
        Assert.Contains("deadline - inactive (7d)", vip.Out, StringComparison.Ordinal);
        Assert.Contains("joined (banned within 30d) - removal", vip.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lifecycle")]
    [InlineData("lifecycle", "frob")]
    [InlineData("lifecycle", "graph")]
    [InlineData("lifecycle", "graph", "--policy", "/nonexistent/policy.json")]
    [InlineData("lifecycle", "graph", "--format", "svg", "--policy", "POLICY")]
    [InlineData("lifecycle", "replay", "--policy", "POLICY", "--as-of", "2026-11-06T00:00:00+08:00")]
    [InlineData("lifecycle", "replay", "--events", "EVENTS", "--policy", "POLICY", "--as-of", "2026-11-06")]
    [InlineData("lifecycle", "replay", "--events", "EVENTS", "--policy", "POLICY", "--as-of", "2026-11-06T00:00:00Z", "--colour", "red")]
    public void BadUsage_ExitsTwo_WithTheReasonOnStandardError(params string[] args)
    {
        var events = SeedEvents();
        var result = CliRunner.Run(args.Select(a => a == "POLICY" ? Policy : a == "EVENTS" ? events : a).ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("community-funnel lifecycle: ", result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void BadPolicyFile_ExitsTwo_NamingTheField()
    {
        var policy = Write("bad-policy.json", """{ "default": { "warningGrace": "0h", "speakEveryDays": 0 } }""");
        var result = CliRunner.Run("lifecycle", "graph", "--policy", policy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("default.warningGrace", result.Err, StringComparison.Ordinal);
        Assert.Contains("default.speakEveryDays", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEventLine_ExitsTwo_NamingTheLine()
    {
        var events = Write("bad.jsonl", """{"id":"e1","type":"joined","group":"g1","member":"a1","at":"2026-11-02T10:00:00+08:00"}""", "{oops");
        var result = CliRunner.Run("lifecycle", "replay", "--events", events, "--policy", Policy, "--as-of", "2026-11-06T00:00:00+08:00");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ShowsBothSubcommands()
    {
        var result = CliRunner.Run("lifecycle", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("community-funnel lifecycle replay --events FILE --policy FILE --as-of ISO [--format json|table]", result.Out, StringComparison.Ordinal);
        Assert.Contains("community-funnel lifecycle graph --policy FILE [--format mermaid|dot]", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_ABacktrackingPatternAndAHostileNickname_DoNotStopTheReplay()
    {
        var policy = Write("policy.json", """{"timeZone":"UTC","default":{"nicknamePattern":"^(a+)+$"}}""");
        var events = Write(
            "hostile.jsonl",
            """{"id":"e1","type":"joined","group":"g","member":"m-1","at":"2026-11-01T00:00:00Z"}""",
            """{"id":"e2","type":"nickname_changed","group":"g","member":"m-1","at":"2026-11-01T00:01:00Z","nickname":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}""",
            """{"id":"e3","type":"joined","group":"g","member":"m-2","at":"2026-11-01T00:02:00Z"}""",
            """{"id":"e4","type":"nickname_changed","group":"g","member":"m-2","at":"2026-11-01T00:03:00Z","nickname":"aaaa"}""");

        var result = CliRunner.Run("lifecycle", "replay", "--events", events, "--policy", policy, "--as-of", "2026-11-01T12:00:00Z");

        Assert.Equal(0, result.ExitCode);
        var states = JsonNode.Parse(result.Out)!["states"]!;
        Assert.Equal(1, (int)states["onboarding"]!);
        Assert.Equal(1, (int)states["active"]!);
    }

    [Fact]
    public void APatternThatCannotRunInLinearTime_ExitsTwo_NamingTheField()
    {
        var policy = Write("policy.json", """{"default":{"nicknamePattern":"^(a)\\1$"}}""");

        var result = CliRunner.Run("lifecycle", "graph", "--policy", policy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("default.nicknamePattern", result.Err, StringComparison.Ordinal);
    }
}
