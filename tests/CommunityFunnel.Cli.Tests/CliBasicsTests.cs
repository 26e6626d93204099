namespace CommunityFunnel.Cli.Tests;

public sealed class CliBasicsTests
{
    [Fact]
    public void Help_ListsEveryCommand_AndExitsZero()
    {
        var result = CliRunner.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "simulate", "activation", "funnel", "lifecycle", "rewards", "draw" })
        {
            Assert.Contains("  " + command, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Version_PrintsThePackageVersion()
    {
        var result = CliRunner.Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0.1.0-alpha.1", result.Out.Trim());
    }

    [Fact]
    public void UnknownCommand_IsBadUsage_OnStandardError()
    {
        var result = CliRunner.Run("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("unknown command 'frobnicate'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void NoArguments_PrintsHelp_AndIsBadUsage()
    {
        var result = CliRunner.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1d", 24 * 60)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("PT24H", 24 * 60)]
    [InlineData("P1D", 24 * 60)]
    [InlineData("PT90M", 90)]
    public void Durations_AcceptShortAndIsoForms(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), CliParsing.ParseDuration(text, "--window"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("0h")]
    [InlineData("PT")]
    [InlineData("1w")]
    public void Durations_RejectNonsense_NamingTheOption(string text)
    {
        var error = Assert.Throws<CliUsageException>(() => CliParsing.ParseDuration(text, "--window"));
        Assert.StartsWith("--window", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T08:00:00+08:00")]
    [InlineData("2026-11-01T08:00:00.123+08:00")]
    public void Instants_WithOffset_AreAccepted(string text)
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), CliParsing.ParseInstant(text, "--as-of").AddTicks(-CliParsing.ParseInstant(text, "--as-of").Millisecond * TimeSpan.TicksPerMillisecond));
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00")]
    [InlineData("2026-11-01")]
    [InlineData("yesterday")]
    public void Instants_WithoutOffset_AreRejected(string text)
    {
        Assert.Throws<CliUsageException>(() => CliParsing.ParseInstant(text, "--as-of"));
    }
}
