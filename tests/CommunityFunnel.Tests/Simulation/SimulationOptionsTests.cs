using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Simulation;

public sealed class SimulationOptionsTests
{
    [Theory]
    [InlineData(0, 30, "Asia/Shanghai", "Members")]
    [InlineData(-5, 30, "Asia/Shanghai", "Members")]
    [InlineData(SimulationOptions.MaxMembers + 1, 30, "Asia/Shanghai", "Members")]
    [InlineData(10, 0, "Asia/Shanghai", "Days")]
    [InlineData(10, SimulationOptions.MaxDays + 1, "Asia/Shanghai", "Days")]
    [InlineData(10, 30, "Mars/Olympus_Mons", "TimeZoneId")]
    [InlineData(10, 30, "", "TimeZoneId")]
    public void BadOptions_AreRejected_NamingTheField(int members, int days, string zone, string field)
    {
        var options = new SimulationOptions { Members = members, Days = days, TimeZoneId = zone };

        var error = Assert.Throws<ArgumentException>(() => CommunitySimulator.Generate(options));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1, 0.01, "DuplicateRate")]
    [InlineData(0.6, 0.01, "DuplicateRate")]
    [InlineData(double.NaN, 0.01, "DuplicateRate")]
    [InlineData(0.002, -1, "OutOfOrderRate")]
    [InlineData(0.002, 0.51, "OutOfOrderRate")]
    public void BadNoiseRates_AreRejected(double duplicates, double late, string field)
    {
        var options = new SimulationOptions { DuplicateRate = duplicates, OutOfOrderRate = late };

        Assert.Equal(field, Assert.Throws<ArgumentException>(() => options.Validate()).ParamName);
    }

    [Fact]
    public void SeveralBadFields_AreAllNamed_InOneMessage()
    {
        var options = new SimulationOptions { Members = 0, Days = -1, TimeZoneId = "Nowhere/Nothing" };

        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Equal("Members", error.ParamName);
        Assert.Contains("Members must be from 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Days must be from 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Nowhere/Nothing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreValid_AndNameShanghai()
    {
        var options = new SimulationOptions();

        Assert.Equal("Asia/Shanghai", options.Validate().Id);
        Assert.Equal(new DateOnly(2026, 11, 1), options.StartDate);
        Assert.Equal(0.002, options.DuplicateRate);
    }

    [Fact]
    public void NullOptions_AreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => CommunitySimulator.Generate(null!));
        Assert.Throws<ArgumentNullException>(() => CommunitySimulator.WriteTo(null!, new SimulationOptions()));
    }
}
