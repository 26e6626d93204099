using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

public sealed class LifecyclePolicyFileTests
{
    [Fact]
    public void Parse_ReadsEveryField()
    {
        var options = LifecyclePolicyFile.Parse("""
            {
              "timeZone": "Asia/Shanghai",
              "default": {
                "nicknamePattern": "^[^-]+-[^-]+-[^-]+$",
                "onboardingGrace": "24h",
                "speakEveryDays": 3,
                "requiredTasks": [ { "id": "share-screenshot", "within": "2d" } ],
                "warningGrace": "PT48H",
                "protectedMembers": ["m-owner"],
                "rejoinBan": "forever",
                "rejoinAfterLeaving": "onboarding",
                "rules": "规则"
              },
              "groups": { "g-vip": { "rejoinBan": "30d", "rejoinAfterLeaving": "active" }, "g-open": { "rejoinBan": "none" } }
            }
            """);

        var p = options.DefaultPolicy;
        Assert.Equal("Asia/Shanghai", options.TimeZoneId);
        Assert.Equal("^[^-]+-[^-]+-[^-]+$", p.NicknamePattern);
        Assert.Equal(TimeSpan.FromHours(24), p.OnboardingGrace);
        Assert.Equal(3, p.SpeakEveryDays);
        var task = Assert.Single(p.RequiredTasks);
        Assert.Equal(("share-screenshot", TimeSpan.FromDays(2)), (task.Id, task.Within));
        Assert.Equal(TimeSpan.FromHours(48), p.WarningGrace);
        Assert.Equal(["m-owner"], p.ProtectedMembers);
        Assert.Null(p.RejoinBan);
        Assert.Equal("规则", p.Rules);
        Assert.Equal(TimeSpan.FromDays(30), options.PolicyFor("g-vip").RejoinBan);
        Assert.Equal(RejoinMode.Active, options.PolicyFor("g-vip").RejoinAfterLeaving);
        Assert.Equal(TimeSpan.Zero, options.PolicyFor("g-open").RejoinBan);
        Assert.Same(p, options.PolicyFor("elsewhere"));
    }

    [Fact]
    public void Parse_ReportsEveryBadField_ByPath()
    {
        var error = Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse("""
            {
              "default": { "onboardingGrace": "soon", "speakEveryDays": "3", "colour": "red", "rejoinAfterLeaving": "never" },
              "groups": { "g1": { "requiredTasks": [ { "id": "x", "within": 5 } ] } },
              "extra": 1
            }
            """));

        foreach (var part in new[]
        {
            "default.onboardingGrace: 'soon' is not a duration", "default.speakEveryDays", "default.colour: unknown field",
            "default.rejoinAfterLeaving: 'never'", "groups.g1.requiredTasks[0].within: must be a string", "'extra': unknown field",
        })
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_ValidatesValues_AfterReading()
    {
        var error = Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse("""{ "timeZone": "Mars/Olympus", "default": { "warningGrace": "0h", "nicknamePattern": "([" } }"""));
        Assert.Contains("timeZone 'Mars/Olympus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("default.warningGrace", error.Message, StringComparison.Ordinal);
        Assert.Contains("default.nicknamePattern", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void Parse_RejectsWhatIsNotAPolicyObject(string text)
    {
        Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse(text));
    }

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("90m", 90)]
    [InlineData("PT2H", 120)]
    public void Durations(string text, int minutes)
    {
        Assert.True(LifecyclePolicyFile.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMinutes(minutes), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("3w")]
    [InlineData("P")]
    public void BadDurations(string text)
    {
        Assert.False(LifecyclePolicyFile.TryParseDuration(text, out _));
    }
}
