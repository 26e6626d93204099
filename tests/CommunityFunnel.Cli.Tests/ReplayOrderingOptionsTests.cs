namespace CommunityFunnel.Cli.Tests;

/// <summary>
/// <c>--memory-mb</c> and <c>--temp-dir</c> on <c>rewards replay</c> and <c>lifecycle replay</c>: a budget far below
/// the log (runs spilled to the folder and merged) prints exactly what the default budget prints, says on standard
/// error how the ordering went, and leaves the folder empty; bad values are usage errors naming the option.
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
        Assert.Contains($"community-funnel {command}: ordered ", small.Err, StringComparison.Ordinal);
        Assert.Contains("with at most 4096 in memory", small.Err, StringComparison.Ordinal);
        Assert.Contains("spilled to temporary files and merged", small.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs));

        var table = CliRunner.Run(Args("--memory-mb=1", "--temp-dir", _runs, "--format", "table"));
        Assert.Equal(CliRunner.Run(Args("--format", "table")).Out, table.Out);
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
