using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.Members;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>The lifecycle's deadline arithmetic at the largest durations a policy may hold and the last instants an event may carry.</summary>
public sealed class LifecycleExtremeValueTests
{
    /// <summary>The last instant the event log accepts (9999-12-29, see docs/event-log.md).</summary>
    private static readonly DateTimeOffset Last = new(9999, 12, 29, 0, 0, 0, TimeSpan.Zero);

    private static LifecyclePolicy Longest(TimeSpan duration) => new()
    {
        NicknamePattern = "^ok$",
        OnboardingGrace = duration,
        WarningGrace = duration,
        RejoinBan = duration,
        SpeakEveryDays = 3650,
        RequiredTasks = { new LifecycleTask { Id = "share", Within = duration } },
    };

    public static TheoryData<long> LongestDurations => new() { TimeSpan.MaxValue.Ticks, TimeSpan.FromDays(3650).Ticks, TimeSpan.FromDays(3).Ticks };

    [Theory]
    [MemberData(nameof(LongestDurations))]
    public void DeadlinesPastTheLastInstant_NeverFallDue_AndNeverThrow(long durationTicks)
    {
        var kit = new LifecycleTestKit(Longest(new TimeSpan(durationTicks)));
        var at = Last.AddDays(-2);

        kit.Apply(EventType.Joined, "m1", at);
        kit.Apply(EventType.Message, "m1", at.AddHours(1));
        kit.Apply(EventType.TaskRejected, "m1", at.AddHours(2), task: "share");
        kit.Apply(EventType.Joined, "m2", Last);
        kit.AdvanceTo(DateTimeOffset.MaxValue);
        kit.Apply(EventType.Left, "m1", Last);
        kit.Apply(EventType.Joined, "m1", Last);

        var m2 = kit.Member("m2");
        Assert.Equal(MemberState.Onboarding, m2.State);
        Assert.DoesNotContain(kit.Actions, a => a.Kind == MemberActionKind.Removal && a.Member == "m2");
        Assert.All(kit.Actions, a => Assert.True(a.Deadline is null || a.Deadline > a.At, $"{a.Kind} deadline {a.Deadline:O} not after {a.At:O}"));
    }

    [Fact]
    public void AnActivationWindowOfTheLargestSpan_CountsEveryLaterActivity_AndNothingBeforeTheJoin()
    {
        var engine = new LifecycleEngine(new LifecycleOptions { DefaultPolicy = new LifecyclePolicy() }, LifecycleTestKit.Shanghai, TimeSpan.MaxValue);
        var first = new DateTimeOffset(1, 1, 3, 0, 0, 0, TimeSpan.Zero);
        engine.Apply(LifecycleTestKit.Event("j", EventType.Joined, "m1", first));
        engine.Apply(LifecycleTestKit.Event("a", EventType.Message, "m1", Last));
        engine.Apply(LifecycleTestKit.Event("j2", EventType.Joined, "m2", Last));

        Assert.True(engine.Record(engine.Find("g1", "m1")).ActivatedWithinWindow);
        Assert.False(engine.Record(engine.Find("g1", "m2")).ActivatedWithinWindow);
    }
}
