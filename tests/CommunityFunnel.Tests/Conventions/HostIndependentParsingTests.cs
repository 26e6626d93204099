using System.Globalization;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Conventions;

/// <summary>
/// No instant, date, duration or number of an input file is read in the machine's culture (CI also runs the whole
/// suite under TZ=Pacific/Chatham and tr_TR.UTF-8): the same text gives the same value under any culture.
/// </summary>
public sealed class HostIndependentParsingTests
{
    private const string Policy = """
        {"timeZone":"Asia/Shanghai","default":{"nicknamePattern":"^[a-zI]+-\\d+$","onboardingGrace":"1d12h","warningGrace":"PT1H30M",
         "speakEveryDays":3,"requiredTasks":[{"id":"t","within":"90m"}],"rejoinBan":"30d"}}
        """;

    private const string Rules = """
        {"timeZone":"Asia/Shanghai","budgets":[{"id":"b","limit":1234567}],
         "rules":[{"id":"r","trigger":{"kind":"orderTotal","period":"ever","amount":1000000},"rewards":[{"kind":"points","quantity":1500}],
                   "activeFrom":"2026-11-01T00:00:00.5+08:00","activeTo":"2026-12-31T23:59:59Z","budget":"b",
                   "eligibility":{"joinedAfter":"2026-10-01T00:00:00-03:30","states":["inGroup"]}}]}
        """;

    public static TheoryData<string> Cultures => new() { "tr-TR", "de-DE", "ar-SA", "fa-IR", "hi-IN", "th-TH" };

    [Fact]
    public void TheTestsRunWithRealCultures_NotInvariantGlobalization()
    {
        // eng/Test.targets turns InvariantGlobalization off for the tests, so a culture run means something.
        Assert.Equal("İ", CultureInfo.GetCultureInfo("tr-TR").TextInfo.ToUpper("i"));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void PolicyFiles_ReadTheSameUnderEveryCulture(string culture)
    {
        var expected = Describe(LifecyclePolicyFile.Parse(Policy));

        Assert.Equal(expected, InCulture(culture, () => Describe(LifecyclePolicyFile.Parse(Policy))));
        Assert.Contains("1.12:00:00 01:30:00 3 t=01:30:00 30.00:00:00", expected, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void NicknamesMatchTheSameUnderEveryCulture(string culture)
    {
        // tr-TR lower-cases 'I' to dotless 'ı': a culture-sensitive match would differ here.
        var options = LifecyclePolicyFile.Parse(Policy);
        var policy = new CompiledPolicy(options.DefaultPolicy, TimeZoneInfo.Utc, TimeSpan.FromHours(24));

        Assert.Equal((true, false, true), InCulture(culture, () => (policy.NicknameMatches("abI-12"), policy.NicknameMatches("abı-12"), policy.NicknameMatches("a-1"))));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void RulesFiles_ReadTheSameUnderEveryCulture(string culture)
    {
        var expected = RewardRuleSet.Parse(Rules).ToJson();

        Assert.Equal(expected, InCulture(culture, () => RewardRuleSet.Parse(Rules).ToJson()));
        var rule = RewardRuleSet.Parse(Rules).Rules[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, 500, TimeSpan.FromHours(8)), rule.ActiveFrom);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, new TimeSpan(-3, -30, 0)), rule.Eligibility.JoinedAfter);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void BadInput_IsRefusedTheSameUnderEveryCulture(string culture)
    {
        // Digits of other scripts are not digits of these formats, under any culture.
        var error = InCulture(culture, () => Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse("""{"default":{"onboardingGrace":"٢٤h"}}""")));
        Assert.Contains("default.onboardingGrace", error.Message, StringComparison.Ordinal);
        var rules = InCulture(culture, () => Assert.Throws<ArgumentException>(() => RewardRuleSet.Parse(
            """{"rules":[{"id":"r","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}],"activeFrom":"01.11.2026 00:00:00 +08:00"}]}""")));
        Assert.Contains("rules[r].activeFrom", rules.Message, StringComparison.Ordinal);
    }

    internal static T InCulture<T>(string culture, Func<T> action)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, ui);
        }
    }

    private static string Describe(LifecycleOptions o)
    {
        var p = o.DefaultPolicy;
        return string.Create(CultureInfo.InvariantCulture, $"{o.TimeZoneId} {p.NicknamePattern} {p.OnboardingGrace} {p.WarningGrace} {p.SpeakEveryDays} ")
            + string.Join(",", p.RequiredTasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Id}={t.Within}")))
            + string.Create(CultureInfo.InvariantCulture, $" {p.RejoinBan}");
    }
}
