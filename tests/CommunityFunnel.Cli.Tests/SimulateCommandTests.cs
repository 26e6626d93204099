using CommunityFunnel.Events;

namespace CommunityFunnel.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cf-sim-tests-" + Guid.NewGuid().ToString("N"));

    public SimulateCommandTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesJsonLines_ToStandardOutput_ByteIdenticalForTheSameArguments()
    {
        var first = CliRunner.Run("simulate", "--members", "200", "--days", "4", "--seed", "7");
        var second = CliRunner.Run("simulate", "--members", "200", "--days", "4", "--seed", "7");

        Assert.Equal(0, first.ExitCode);
        Assert.Empty(first.Err);
        Assert.Equal(first.Out, second.Out);
        var events = new EventLogReader().Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(first.Out))).ToList();
        Assert.True(events.Count > 500);
        Assert.Contains(events, e => e.Type == EventType.Joined && e.Role == MemberRole.Bot);
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentOutput()
    {
        var a = CliRunner.Run("simulate", "--members", "100", "--days", "2", "--seed", "1");
        var b = CliRunner.Run("simulate", "--members", "100", "--days", "2", "--seed", "2");

        Assert.NotEqual(a.Out, b.Out);
    }

    [Fact]
    public void Out_WritesTheSameBytesToAFile_AndReportsTheLineCount()
    {
        var path = Path.Combine(_dir, "events.jsonl");
        var toStdout = CliRunner.Run("simulate", "--members", "150", "--days", "3", "--seed", "11");

        var toFile = CliRunner.Run("simulate", "--members", "150", "--days", "3", "--seed", "11", "--out", path);

        Assert.Equal(0, toFile.ExitCode);
        Assert.Empty(toFile.Err);
        Assert.Equal(toStdout.Out, File.ReadAllText(path));
        var lines = File.ReadLines(path).Count();
        Assert.Contains($"wrote {lines.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} lines to {path}", toFile.Out, StringComparison.Ordinal);
        Assert.Equal(["events.jsonl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void StartAndTimeZone_SetTheFirstLocalDayAndTheOffset()
    {
        var result = CliRunner.Run("simulate", "--members", "50", "--days", "2", "--seed", "3", "--start", "2027-01-15", "--time-zone", "Europe/Berlin");

        Assert.Equal(0, result.ExitCode);
        var events = new EventLogReader().Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(result.Out))).ToList();
        var start = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.FromHours(1));
        Assert.All(events, e => Assert.InRange(e.At, start, start.AddDays(2).AddTicks(-1)));
        Assert.Contains(events, e => e.At.Offset == TimeSpan.FromHours(1));
        Assert.All(events, e => Assert.True(e.At.Offset == TimeSpan.FromHours(1) || e.At.Offset == TimeSpan.Zero));
    }

    [Fact]
    public void Out_OnATerminal_DrawsAProgressBar_OnStandardError_Only()
    {
        var path = Path.Combine(_dir, "big.jsonl");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = CliApp.Run(
            ["simulate", "--members", "20000", "--days", "30", "--seed", "1", "--out", path],
            new CliContext(output, error, progressOnTerminal: true));

        Assert.Equal(0, code);
        Assert.Contains("simulating [", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("100.0", error.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("wrote ", output.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":", File.ReadLines(path).First(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--members")]
    [InlineData("--days")]
    [InlineData("--seed")]
    public void MissingRequiredNumber_IsBadUsage(string missing)
    {
        var args = new List<string> { "simulate", "--members", "10", "--days", "2", "--seed", "1" };
        var i = args.IndexOf(missing);
        args.RemoveRange(i, 2);

        var result = CliRunner.Run([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("missing required option " + missing, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--members", "0")]
    [InlineData("--members", "-3")]
    [InlineData("--members", "9000001")]
    [InlineData("--members", "ten")]
    [InlineData("--days", "0")]
    [InlineData("--days", "1.5")]
    [InlineData("--seed", "-1")]
    [InlineData("--seed", "99999999999999999999")]
    [InlineData("--start", "2026-13-01")]
    [InlineData("--start", "01/11/2026")]
    [InlineData("--time-zone", "Mars/Olympus_Mons")]
    public void BadValues_AreBadUsage_NamingTheOption(string option, string value)
    {
        var args = new List<string> { "simulate", "--members", "10", "--days", "2", "--seed", "1" };
        var i = args.IndexOf(option);
        if (i >= 0)
        {
            args[i + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = CliRunner.Run([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains($"option {option}: '{value}'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_IsBadUsage()
    {
        var result = CliRunner.Run("simulate", "--members", "10", "--days", "2", "--seed", "1", "--groups", "4");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option --groups", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void OutIntoAMissingDirectory_IsBadUsage_AndWritesNothing()
    {
        var path = Path.Combine(_dir, "nope", "events.jsonl");

        var result = CliRunner.Run("simulate", "--members", "10", "--days", "2", "--seed", "1", "--out", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such directory", result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public void Help_ShowsTheUsage()
    {
        var result = CliRunner.Run("simulate", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("community-funnel simulate --members N --days D --seed S [--out FILE]", result.Out, StringComparison.Ordinal);
    }
}
