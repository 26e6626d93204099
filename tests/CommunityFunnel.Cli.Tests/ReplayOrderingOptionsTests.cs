using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli.Tests;

/// <summary>
/// <c>--memory-mb</c> and <c>--temp-dir</c> on <c>rewards replay</c> and <c>lifecycle replay</c>: a budget far below
/// the log prints exactly what the default budget prints, whether the log streams through it (time-ordered) or is
/// replayed again through runs spilled to the folder (shuffled), says on standard error when it was, and leaves the
/// folder empty; bad values are usage errors naming the option.
/// </summary>
public sealed class ReplayOrderingOptionsTests : IDisposable
{
    private static readonly string Policy = Path.Combine(AppContext.BaseDirectory, "Data", "lifecycle-policy.json");
    private static readonly string Rules = Path.Combine(AppContext.BaseDirectory, "Data", "rewards-rules.json");
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-replay-order-").FullName;
    private readonly string _runs;

    public ReplayOrderingOptionsTests()
    {
        _runs = Directory.CreateDirectory(Path.Combine(_dir, "runs")).FullName;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A simulated log of about 7,000 events (more than --memory-mb 1 holds, 4,096), in file order or shuffled.</summary>
    private string Log(bool shuffled)
    {
        var simulated = CliRunner.Run("simulate", "--members", "500", "--days", "10", "--seed", "3");
        Assert.Equal(0, simulated.ExitCode);
        var lines = simulated.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 4_096 * 3 / 2, $"{lines.Length} lines");
        if (shuffled)
        {
            new Random(11).Shuffle(lines);
        }

        var path = Path.Combine(_dir, shuffled ? "shuffled.jsonl" : "events.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("rewards", false)]
    [InlineData("rewards", true)]
    [InlineData("lifecycle", false)]
    [InlineData("lifecycle", true)]
    public void SmallMemoryBudget_PrintsWhatTheDefaultPrints_AndCleansUp(string command, bool shuffled)
    {
        var log = Log(shuffled);
        string[] Args(params string[] extra) =>
        [
            command, "replay", "--events", log, command == "rewards" ? "--rules" : "--policy", command == "rewards" ? Rules : Policy,
            "--as-of", "2026-11-09T00:00:00+08:00", .. extra,
        ];

        var plain = CliRunner.Run(Args());
        var small = CliRunner.Run(Args("--memory-mb", "1", "--temp-dir", _runs));

        Assert.True(plain.ExitCode == 0, plain.Err);
        Assert.True(small.ExitCode == 0, small.Err);
        Assert.Equal(plain.Out, small.Out);
        Assert.Equal("", plain.Err); // a log within the default budget says nothing about ordering
        if (shuffled)
        {
            // Further out of order than 4,096 events: the streaming pass stops at the first late event and the
            // replay starts over through sorted runs.
            Assert.Contains($"community-funnel {command}: the log is further out of order than 4096 events in memory (--memory-mb): it was replayed again from the start", small.Err, StringComparison.Ordinal);
            Assert.Contains($"community-funnel {command}: ordered ", small.Err, StringComparison.Ordinal);
            Assert.Contains("with at most 4096 in memory", small.Err, StringComparison.Ordinal);
            Assert.Contains("spilled to temporary files and merged", small.Err, StringComparison.Ordinal);
        }
        else
        {
            // The simulator's log is in time order but for lines a few seconds late: the 4,096-event buffer puts
            // them back in place as the events stream through, and nothing is written to the folder.
            Assert.Equal("", small.Err);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs));

        var table = CliRunner.Run(Args("--memory-mb=1", "--temp-dir", _runs, "--format", "table"));
        Assert.Equal(CliRunner.Run(Args("--format", "table")).Out, table.Out);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LifecycleActionsAndMembersFiles_HoldTheReportsArrays_LineByLine(bool shuffled)
    {
        var log = Log(shuffled);
        string[] Args(params string[] extra) => ["lifecycle", "replay", "--events", log, "--policy", Policy, "--as-of", "2026-11-09T00:00:00+08:00", .. extra];
        var actions = Path.Combine(_dir, "actions.jsonl");
        var members = Path.Combine(_dir, "members.jsonl");
        File.WriteAllText(actions, "left over from an earlier run, longer than nothing\n"); // truncated, not appended to

        var plain = CliRunner.Run(Args());
        // A budget the shuffled log overruns: the streaming pass writes actions, then the replay starts over and must
        // empty the file first.
        var streamed = CliRunner.Run(Args("--actions", actions, "--members", members, "--memory-mb", "1", "--temp-dir", _runs));

        Assert.True(plain.ExitCode == 0, plain.Err);
        Assert.True(streamed.ExitCode == 0, streamed.Err);
        var full = JsonNode.Parse(plain.Out)!.AsObject();
        var summary = JsonNode.Parse(streamed.Out)!.AsObject();
        var actionLines = File.ReadAllLines(actions);
        var memberLines = File.ReadAllLines(members);
        Assert.True(actionLines.Length > 1_000, $"{actionLines.Length} actions");
        Assert.Equal(full["actions"]!.AsArray().Count, actionLines.Length);
        Assert.Equal(full["finalStates"]!.AsArray().Count, memberLines.Length);
        for (var i = 0; i < actionLines.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(full["actions"]![i], JsonNode.Parse(actionLines[i])), $"action {i}: {actionLines[i]}");
        }

        for (var i = 0; i < memberLines.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(full["finalStates"]![i], JsonNode.Parse(memberLines[i])), $"member {i}: {memberLines[i]}");
        }

        // The summary is the report without the two arrays.
        full.Remove("actions");
        full.Remove("finalStates");
        Assert.True(JsonNode.DeepEquals(full, summary), streamed.Out);
        Assert.Contains($"community-funnel lifecycle: wrote {actionLines.Length} actions to {actions}", streamed.Err, StringComparison.Ordinal);
        Assert.Contains($"community-funnel lifecycle: wrote the final states of {memberLines.Length} members to {members}", streamed.Err, StringComparison.Ordinal);
        Assert.Equal(shuffled, streamed.Err.Contains("replayed again from the start", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs));

        // The table leaves out the sections that went to files.
        var table = CliRunner.Run(Args("--actions", actions, "--members", members, "--format", "table"));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("state", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("deadline", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("flags", table.Out, StringComparison.Ordinal);
        Assert.Contains("deadline", CliRunner.Run(Args("--format", "table")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--actions", "/no/such/cf-dir/actions.jsonl", "--actions: no such directory '/no/such/cf-dir'")]
    [InlineData("--members", "/no/such/cf-dir/m.jsonl", "--members: no such directory '/no/such/cf-dir'")]
    [InlineData("--actions", " ", "--actions: the file name must not be empty")]
    public void BadLifecycleOutputFiles_AreUsageErrors_NamingTheOption(string option, string value, string message)
    {
        var log = Path.Combine(_dir, "one.jsonl");
        File.WriteAllText(log, """{"id":"e1","type":"joined","group":"g1","member":"a1","at":"2026-11-02T10:00:00+08:00"}""" + "\n");
        var result = CliRunner.Run("lifecycle", "replay", "--events", log, "--policy", Policy, "--as-of", "2026-11-09T00:00:00+08:00", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("rewards", "--memory-mb", "0", "option --memory-mb: '0' is not a whole number from 1 to 1048576")]
    [InlineData("rewards", "--memory-mb", "lots", "option --memory-mb: 'lots' is not a whole number")]
    [InlineData("lifecycle", "--memory-mb", "-3", "option --memory-mb: '-3' is not a whole number from 1 to 1048576")]
    [InlineData("rewards", "--temp-dir", "/no/such/cf-dir", "--temp-dir: no such directory '/no/such/cf-dir'")]
    [InlineData("lifecycle", "--temp-dir", "/no/such/cf-dir", "--temp-dir: no such directory '/no/such/cf-dir'")]
    public void BadOrderingOptions_AreUsageErrors_NamingTheOption(string command, string option, string value, string message)
    {
        var log = Path.Combine(_dir, "one.jsonl");
        File.WriteAllText(log, """{"id":"e1","type":"joined","group":"g1","member":"a1","at":"2026-11-02T10:00:00+08:00"}""" + "\n");
        var result = CliRunner.Run(command, "replay", "--events", log, command == "rewards" ? "--rules" : "--policy", command == "rewards" ? Rules : Policy,
            "--as-of", "2026-11-09T00:00:00+08:00", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("rewards")]
    [InlineData("lifecycle")]
    public void Usage_DocumentsTheOptions(string command)
    {
        var help = CliRunner.Run(command, "--help");
        Assert.Contains("[--memory-mb N] [--temp-dir DIR]", help.Out, StringComparison.Ordinal);
        Assert.Contains("--temp-dir DIR", help.Out, StringComparison.Ordinal);
    }
}
