using System.Diagnostics;
using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

/// <summary>The lifecycle defects of issue 15 and item 1 of issue 22, each with the smallest input that showed it.</summary>
public sealed class Issue15LifecycleRegressionTests
{
    private static readonly DateTimeOffset Nov1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Defect1_NicknamePatternMatchesPartOfANickname()
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":"[A-Z]{2}-\\d+"}}""");
        engine.Apply(new CommunityEvent("e1", EventType.Joined, "g", "m-1", Nov1));
        engine.Apply(new CommunityEvent("e2", EventType.NicknameChanged, "g", "m-1", Nov1.AddHours(1), nickname: "xAB-12"));
        engine.AdvanceTo(new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero));

        Assert.DoesNotContain(actions, a => a.Kind == MemberActionKind.Congratulation);
        var reminder = Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder);
        Assert.Equal(LifecycleReason.Nickname, reminder.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), reminder.At);
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), reminder.Deadline);
        Assert.Equal(MemberState.AtRisk, engine.Find("g", "m-1")!.State);
    }

    [Theory]
    [InlineData("AB-12", true)]
    [InlineData("xAB-12", false)]
    [InlineData("AB-12x", false)]
    [InlineData("AB-12\n", false)]
    public void NicknamePattern_MustMatchTheWholeNickname(string nickname, bool matches)
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":"[A-Z]{2}-\\d+|ZZ"}}""");
        engine.Apply(new CommunityEvent("e1", EventType.Joined, "g", "m-1", Nov1));
        engine.Apply(new CommunityEvent("e2", EventType.NicknameChanged, "g", "m-1", Nov1.AddHours(1), nickname: nickname));

        Assert.Equal(matches, actions.Any(a => a.Kind == MemberActionKind.Congratulation));
        Assert.Equal(matches ? MemberState.Active : MemberState.Onboarding, engine.Find("g", "m-1")!.State);
    }

    [Fact]
    public void Defect2_TwoCongratulationsForOneOnboarding()
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":"^[A-Z]{2}-\\d+$","onboardingGrace":"10h","requiredTasks":[{"id":"t","within":"20h"}]}}""");
        engine.Apply(new CommunityEvent("e1", EventType.Joined, "g", "m-1", Nov1));
        engine.AdvanceTo(Nov1.AddDays(1));
        engine.Apply(new CommunityEvent("e2", EventType.NicknameChanged, "g", "m-1", Nov1.AddDays(1), nickname: "AB-1"));
        engine.Apply(new CommunityEvent("e3", EventType.NicknameChanged, "g", "m-1", Nov1.AddDays(1).AddHours(1), nickname: "AB-2"));

        Assert.Single(actions, a => a.Kind == MemberActionKind.Congratulation);
    }

    [Theory]
    [InlineData("^(a+)+$")]
    [InlineData("(a|a)*b")]
    [InlineData("^(a|aa)+$")]
    [InlineData("(.*a){12}")]
    [InlineData("^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$")]
    public void CatastrophicPatterns_RunInLinearTime_AndNeverThrowOutOfApply(string pattern)
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":""" + System.Text.Json.JsonSerializer.Serialize(pattern) + "}}");
        var nicknames = new[] { new string('a', 40) + "!", new string('a', 10_000) + "!", new string('a', 10_000), string.Concat(Enumerable.Repeat("aa@", 3_333)) };
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < nicknames.Length; i++)
        {
            engine.Apply(new CommunityEvent($"j{i}", EventType.Joined, "g", $"m-{i}", Nov1));
            engine.Apply(new CommunityEvent($"n{i}", EventType.NicknameChanged, "g", $"m-{i}", Nov1.AddMinutes(1), nickname: nicknames[i]));
        }

        // Not a speed test: a backtracking engine takes hours here (or throws its timeout); linear time takes milliseconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(nicknames.Length, engine.Members().Count);
        Assert.Equal(nicknames.Length, actions.Count(a => a.Kind == MemberActionKind.Welcome));
    }

    [Fact]
    public void ABacktrackingNickname_DoesNotStopTheReplay()
    {
        var (engine, _) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":"^(a+)+$"}}""");
        engine.Apply(new CommunityEvent("e1", EventType.Joined, "g", "m-1", Nov1));
        engine.Apply(new CommunityEvent("e2", EventType.NicknameChanged, "g", "m-1", Nov1.AddMinutes(1), nickname: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
        engine.Apply(new CommunityEvent("e3", EventType.Joined, "g", "m-2", Nov1.AddMinutes(2)));
        engine.Apply(new CommunityEvent("e4", EventType.NicknameChanged, "g", "m-2", Nov1.AddMinutes(3), nickname: "aaaa"));

        Assert.Equal(MemberState.Onboarding, engine.Find("g", "m-1")!.State);
        Assert.Equal(MemberState.Active, engine.Find("g", "m-2")!.State);
    }

    [Theory]
    [InlineData("^(a)\\1$", "backreferences")]
    [InlineData("^(?=a).+$", "lookarounds")]
    [InlineData("^(?>a+)$", "atomic")]
    [InlineData("a)|(b", "not a valid regular expression")]
    public void PatternsThatCannotRunInLinearTime_AreRefusedWhenThePolicyLoads_NamingTheField(string pattern, string expected)
    {
        var json = """{"groups":{"g-vip":{"nicknamePattern":""" + System.Text.Json.JsonSerializer.Serialize(pattern) + "}}}";
        var error = Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse(json));

        Assert.Contains("groups.g-vip.nicknamePattern", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defect3_NotEveryBadPolicyFieldIsNamed()
    {
        var error = Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse("""{"default":{"onboardingGrace":"-1h","speakEveryDays":0}}"""));

        Assert.Contains("default.onboardingGrace", error.Message, StringComparison.Ordinal);
        Assert.Contains("default.speakEveryDays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyFile_ThreeUnrelatedErrors_AreAllNamedInOneException()
    {
        var error = Assert.Throws<FormatException>(() => LifecyclePolicyFile.Parse("""
            { "timeZone": "Mars/Olympus",
              "default": { "warningGrace": "soon", "colour": "red" },
              "groups": { "g1": { "requiredTasks": [ { "id": "t", "within": "0h" } ] } } }
            """));

        foreach (var part in new[] { "timeZone 'Mars/Olympus'", "default.warningGrace", "default.colour: unknown field", "groups.g1.requiredTasks[0].within" })
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    internal static (MemberLifecycleEngine Engine, List<MemberAction> Actions) Engine(string policyJson)
    {
        var options = LifecyclePolicyFile.Parse(policyJson);
        var actions = new List<MemberAction>();
        var engine = new MemberLifecycleEngine(options, new CommunityFunnelOptions { TimeZoneId = options.TimeZoneId ?? "UTC" })
        {
            ActionSink = actions.Add,
        };
        return (engine, actions);
    }
}
