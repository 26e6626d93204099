using CommunityFunnel.Events;
using CommunityFunnel.Members;
using static CommunityFunnel.Tests.Members.LifecycleTestKit;

namespace CommunityFunnel.Tests.Members;

public sealed class LifecycleScenarioTests
{
    private static readonly TimeSpan H = TimeSpan.FromHours(1);

    [Fact]
    public void Join_WithNicknameRule_IsOnboarding_AndWelcomedWithTheRules_ThenMatchingNicknameCongratulates()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "m1", T0);

        Assert.Equal(MemberState.Onboarding, kit.Member("m1").State);
        var welcome = Assert.Single(kit.TakeActions());
        Assert.Equal(MemberActionKind.Welcome, welcome.Kind);
        Assert.Equal("nickname 城市-姓名-职业", welcome.Rules);

        kit.Apply(EventType.NicknameChanged, "m1", T0 + H, nickname: "小明");
        Assert.Equal(MemberState.Onboarding, kit.Member("m1").State);
        Assert.Empty(kit.TakeActions());

        kit.Apply(EventType.NicknameChanged, "m1", T0 + (2 * H), nickname: "上海-王伟-设计师");
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
        Assert.Equal(MemberActionKind.Congratulation, Assert.Single(kit.TakeActions()).Kind);
        Assert.Equal(
            ["(new)->Onboarding", "Onboarding->Active"],
            kit.Transitions.Select(t => $"{(t.From?.ToString() ?? "(new)")}->{t.To}"));
    }

    [Fact]
    public void Join_WithoutNicknameRule_GoesStraightToActive()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        kit.Apply(EventType.Joined, "m1", T0);

        Assert.Equal(MemberState.Active, kit.Member("m1").State);
        Assert.Equal(MemberActionKind.Welcome, Assert.Single(kit.Actions).Kind);
    }

    [Fact]
    public void NicknameNotSetWithinGrace_RemindsExactlyAtTheDeadline_ThenRemovesAfterTheWarningGrace()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^a-b-c$" });
        kit.Apply(EventType.Joined, "m1", T0);
        kit.TakeActions();

        kit.AdvanceTo(T0 + (24 * H) - TimeSpan.FromTicks(1));
        Assert.Empty(kit.Actions);
        Assert.Equal(MemberState.Onboarding, kit.Member("m1").State);

        kit.AdvanceTo(T0 + (24 * H));
        var reminder = Assert.Single(kit.TakeActions());
        Assert.Equal(MemberActionKind.Reminder, reminder.Kind);
        Assert.Equal(LifecycleReason.Nickname, reminder.Reason);
        Assert.Equal(T0 + (72 * H), reminder.Deadline);
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);

        kit.AdvanceTo(T0 + (72 * H) - TimeSpan.FromTicks(1));
        Assert.Empty(kit.Actions);

        kit.AdvanceTo(T0 + (72 * H));
        var removal = Assert.Single(kit.TakeActions());
        Assert.Equal(MemberActionKind.Removal, removal.Kind);
        Assert.Equal(LifecycleReason.Nickname, removal.Reason);
        Assert.Equal(MemberState.Removed, kit.Member("m1").State);
        Assert.Equal("deadline:removal", kit.Transitions[^1].Trigger);
        Assert.Equal("deadline:nickname", kit.Transitions[^2].Trigger);
    }

    [Fact]
    public void AtRiskMember_WhoComplies_IsActiveAgain_AndNeverRemoved()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^a-b-c$" });
        kit.Apply(EventType.Joined, "m1", T0);
        kit.AdvanceTo(T0 + (30 * H));
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);
        kit.TakeActions();

        kit.Apply(EventType.NicknameChanged, "m1", T0 + (31 * H), nickname: "a-b-c");
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
        Assert.Equal(MemberActionKind.Congratulation, Assert.Single(kit.TakeActions()).Kind);

        kit.AdvanceTo(T0 + (1000 * H));
        Assert.Empty(kit.Actions);
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
    }

    [Fact]
    public void SpeakEveryThreeDays_CountsLocalDaysInTheZone_NotMultiplesOf24Hours()
    {
        // Last spoke 2026-11-02 23:30 Shanghai: must speak again by the end of 11-05 local, so the deadline is 11-06 00:00 +08:00.
        var kit = new LifecycleTestKit(new LifecyclePolicy { SpeakEveryDays = 3 });
        var joined = new DateTimeOffset(2026, 11, 2, 20, 0, 0, TimeSpan.FromHours(8));
        kit.Apply(EventType.Joined, "m1", joined);
        kit.Apply(EventType.Message, "m1", new DateTimeOffset(2026, 11, 2, 23, 30, 0, TimeSpan.FromHours(8)));
        kit.TakeActions();

        var deadline = new DateTimeOffset(2026, 11, 6, 0, 0, 0, TimeSpan.FromHours(8));
        kit.AdvanceTo(deadline.AddTicks(-1));
        Assert.Empty(kit.Actions);
        kit.AdvanceTo(deadline);
        var reminder = Assert.Single(kit.TakeActions());
        Assert.Equal(LifecycleReason.Inactive, reminder.Reason);
        Assert.Equal(deadline, reminder.At);
    }

    [Fact]
    public void SpeakDeadline_AcrossADaylightSavingChange_IsLocalMidnight()
    {
        // New York falls back on 2026-11-01: the local day is 25 hours long.
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var kit = new LifecycleTestKit(new LifecyclePolicy { SpeakEveryDays = 1 }, ny);
        kit.Apply(EventType.Joined, "m1", new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.FromHours(-4)));
        kit.TakeActions();

        // Joined on 10-31 local: due at the start of 11-02 local, which is -05:00 after the change.
        var deadline = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(-5));
        kit.AdvanceTo(deadline.AddTicks(-1));
        Assert.Empty(kit.Actions);
        kit.AdvanceTo(deadline);
        Assert.Equal(deadline, Assert.Single(kit.Actions).At);
    }

    [Fact]
    public void Activity_PostponesTheSpeakDeadline_WithoutTouchingTheQueue()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { SpeakEveryDays = 3 });
        kit.Apply(EventType.Joined, "m1", T0);
        for (var day = 1; day <= 20; day++)
        {
            kit.AdvanceTo(T0.AddDays(day));
            kit.Apply(EventType.Message, "m1", T0.AddDays(day));
        }

        Assert.Single(kit.Actions); // the welcome only
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
    }

    [Fact]
    public void Task_SubmittedInTime_MeetsTheDeadlineWhileUnderReview()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.NicknameChanged, "m1", T0 + H, nickname: "上海-王伟-设计师");
        kit.Apply(EventType.TaskSubmitted, "m1", T0 + (40 * H), task: "share");
        kit.TakeActions();

        kit.AdvanceTo(T0 + (60 * H));
        Assert.Empty(kit.Actions);
        Assert.Equal(MemberTaskStatus.Submitted, kit.Member("m1").Tasks["share"]);

        kit.Apply(EventType.TaskApproved, "m1", T0 + (61 * H), task: "share");
        Assert.Equal(MemberTaskStatus.Approved, kit.Member("m1").Tasks["share"]);
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
    }

    [Fact]
    public void Task_RejectedBeforeTheDeadline_RemindsAgainWithTheOriginalDeadline_ThenOverdueAtIt()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.NicknameChanged, "m1", T0 + H, nickname: "上海-王伟-设计师");
        kit.Apply(EventType.TaskSubmitted, "m1", T0 + (10 * H), task: "share");
        kit.TakeActions();

        kit.Apply(EventType.TaskRejected, "m1", T0 + (12 * H), task: "share");
        var reminder = Assert.Single(kit.TakeActions());
        Assert.Equal((MemberActionKind.Reminder, LifecycleReason.TaskRejected, "share"), (reminder.Kind, reminder.Reason, reminder.Task));
        Assert.Equal(T0 + (48 * H), reminder.Deadline);
        Assert.Equal(MemberState.Active, kit.Member("m1").State);

        kit.AdvanceTo(T0 + (48 * H));
        var overdue = Assert.Single(kit.TakeActions());
        Assert.Equal(LifecycleReason.TaskRejected, overdue.Reason);
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);

        kit.Apply(EventType.TaskSubmitted, "m1", T0 + (50 * H), task: "share");
        Assert.Equal(MemberState.Active, kit.Member("m1").State);
    }

    [Fact]
    public void Task_RejectedAfterTheDeadline_PutsTheMemberAtRiskAtOnce()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.NicknameChanged, "m1", T0 + H, nickname: "上海-王伟-设计师");
        kit.Apply(EventType.TaskSubmitted, "m1", T0 + (47 * H), task: "share");
        kit.TakeActions();

        kit.Apply(EventType.TaskRejected, "m1", T0 + (50 * H), task: "share");
        var reminder = Assert.Single(kit.TakeActions());
        Assert.Equal(LifecycleReason.TaskRejected, reminder.Reason);
        Assert.Equal(T0 + (98 * H), reminder.Deadline);
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);
    }

    [Theory]
    [InlineData(MemberRole.Staff)]
    [InlineData(MemberRole.Bot)]
    public void StaffAndBots_AreNeverWelcomedRemindedOrRemoved(MemberRole role)
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "s1", T0, role: role);
        kit.AdvanceTo(T0.AddDays(60));

        Assert.Empty(kit.Actions);
        var record = kit.Member("s1");
        Assert.Equal(MemberState.Active, record.State);
        Assert.True(record.Protected);
        Assert.Null(record.NextDeadline);
    }

    [Fact]
    public void AllowListedMember_IsWelcomed_ButNeverRemindedOrRemoved()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Joined, "vip", T0);
        kit.AdvanceTo(T0.AddDays(60));

        Assert.Equal(MemberActionKind.Welcome, Assert.Single(kit.Actions).Kind);
        Assert.Equal(MemberState.Active, kit.Member("vip").State);
    }

    [Fact]
    public void RemovedMember_WhoRejoins_IsRemovedAgainAtOnce_WhenBannedForever()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^x$" });
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.Removed, "m1", T0 + H);
        kit.TakeActions();

        kit.Apply(EventType.Joined, "m1", T0.AddDays(400));
        var removal = Assert.Single(kit.TakeActions());
        Assert.Equal((MemberActionKind.Removal, LifecycleReason.RejoinBanned), (removal.Kind, removal.Reason));
        Assert.Equal(MemberState.Removed, kit.Member("m1").State);
    }

    [Fact]
    public void RejoinBan_WithADuration_HoldsWithinIt_AndOnboardsAfterIt()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^x$", RejoinBan = TimeSpan.FromDays(30) });
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.Removed, "m1", T0 + H);
        kit.TakeActions();

        kit.Apply(EventType.Joined, "m1", T0 + H + TimeSpan.FromDays(30) - TimeSpan.FromTicks(1));
        Assert.Equal(LifecycleReason.RejoinBanned, Assert.Single(kit.TakeActions()).Reason);

        kit.Apply(EventType.Joined, "m1", T0 + H + TimeSpan.FromDays(30));
        Assert.Equal(MemberActionKind.Welcome, Assert.Single(kit.TakeActions()).Kind);
        Assert.Equal(MemberState.Onboarding, kit.Member("m1").State);
    }

    [Fact]
    public void RejoinAfterLeaving_OnboardsAgainByDefault_OrRestoresGoodStanding()
    {
        var onboarding = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^x$" });
        var restore = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^x$", RejoinAfterLeaving = RejoinMode.Active });
        foreach (var kit in new[] { onboarding, restore })
        {
            kit.Apply(EventType.Joined, "m1", T0);
            kit.Apply(EventType.NicknameChanged, "m1", T0 + H, nickname: "x");
            kit.Apply(EventType.Left, "m1", T0 + (2 * H));
            Assert.Equal(MemberState.Left, kit.Member("m1").State);
            kit.Apply(EventType.Joined, "m1", T0 + (3 * H));
        }

        Assert.Equal(MemberState.Onboarding, onboarding.Member("m1").State);
        Assert.Equal(MemberState.Active, restore.Member("m1").State);
        Assert.Equal(T0, onboarding.Member("m1").JoinedAt);
        Assert.Equal(T0 + (3 * H), onboarding.Member("m1").LastJoinedAt);
    }

    [Fact]
    public void ReapplyingAnEvent_ChangesNothing_AndEmitsNothing()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        var join = Event("j1", EventType.Joined, "m1", T0);
        var rejected = Event("r1", EventType.TaskRejected, "m1", T0 + H, task: "share");
        Assert.True(kit.Engine.Apply(join));
        Assert.True(kit.Engine.Apply(rejected));
        var before = kit.Member("m1");
        var actions = kit.Actions.Count;

        Assert.False(kit.Engine.Apply(rejected));
        Assert.True(kit.Engine.Apply(join)); // older than the watermark: harmless, counts nothing
        Assert.Equal(actions, kit.Actions.Count);
        var after = kit.Member("m1");
        Assert.Equal(before.Tasks, after.Tasks);
        Assert.Equal(before.EventIdsAtWatermark, after.EventIdsAtWatermark);
        Assert.Equal(before with { EventIdsAtWatermark = [], Tasks = after.Tasks }, after with { EventIdsAtWatermark = [] });
        Assert.Equal(1, kit.Engine.Duplicates);
    }

    [Fact]
    public void ManyEventsAtTheSameInstant_AreEachAppliedOnce()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        var events = Enumerable.Range(0, 9).Select(i => Event($"same-{i}", i % 2 == 0 ? EventType.Joined : EventType.Left, "m1", T0)).ToList();
        foreach (var e in events)
        {
            Assert.True(kit.Engine.Apply(e));
        }

        var state = kit.Member("m1").State;
        var transitions = kit.Transitions.Count;
        foreach (var e in events)
        {
            Assert.False(kit.Engine.Apply(e));
        }

        Assert.Equal(state, kit.Member("m1").State);
        Assert.Equal(transitions, kit.Transitions.Count);
        Assert.Equal(9, kit.Member("m1").EventIdsAtWatermark.Count);
    }

    [Fact]
    public void OldEvent_NeverUndoesATransition_ButCountsAsActivity()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        kit.Apply(EventType.Joined, "m1", T0);
        kit.Apply(EventType.Left, "m1", T0 + (10 * H));

        // Reordered callbacks: a message from before the leave, and a join from before it too.
        kit.Apply(EventType.Message, "m1", T0 + (2 * H));
        kit.Apply(EventType.Joined, "m1", T0 + (5 * H));
        kit.Apply(EventType.Order, "m1", T0 + (3 * H));

        var record = kit.Member("m1");
        Assert.Equal(MemberState.Left, record.State);
        Assert.Equal(T0 + (2 * H), record.FirstActivityAt);
        Assert.Equal(T0 + (3 * H), record.LastActivityAt);
        Assert.Equal(T0 + (3 * H), record.ConvertedAt);
        Assert.True(record.ActivatedWithinWindow);
        Assert.Equal(2, kit.Transitions.Count);
    }

    [Fact]
    public void OldEvent_AfterADeadlineFired_DoesNotUndoTheReminder()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { SpeakEveryDays = 1 });
        kit.Apply(EventType.Joined, "m1", T0);
        kit.AdvanceTo(T0.AddDays(3));
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);

        kit.Apply(EventType.Message, "m1", T0 + H); // arrives late
        Assert.Equal(MemberState.AtRisk, kit.Member("m1").State);
        Assert.Equal(T0 + H, kit.Member("m1").FirstActivityAt);
    }

    [Fact]
    public void ActivityFromAMemberNeverSeenJoining_CreatesAMemberInGoodStanding_OutOfCohorts()
    {
        var kit = new LifecycleTestKit(SeedPolicy());
        kit.Apply(EventType.Message, "old-timer", T0);

        var record = kit.Member("old-timer");
        Assert.Equal(MemberState.Active, record.State);
        Assert.True(record.JoinedBeforeTracking);
        Assert.Null(record.JoinedAt);
        Assert.False(record.ActivatedWithinWindow);
        Assert.Empty(kit.Actions);
        Assert.Null(kit.Transitions[0].From);

        // Exempt from onboarding and tasks, but the speak rule applies.
        kit.AdvanceTo(T0.AddDays(3));
        Assert.Empty(kit.Actions);
        kit.AdvanceTo(T0.AddDays(5));
        Assert.Equal(LifecycleReason.Inactive, Assert.Single(kit.Actions).Reason);
    }

    [Fact]
    public void Milestones_ActivationWithinTheWindow_AndConversion()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        kit.Apply(EventType.Joined, "fast", T0);
        kit.Apply(EventType.Message, "fast", T0 + (24 * H) - TimeSpan.FromTicks(1));
        kit.Apply(EventType.Joined, "slow", T0);
        kit.Apply(EventType.Message, "slow", T0 + (24 * H));
        kit.Apply(EventType.Order, "slow", T0 + (30 * H));

        Assert.True(kit.Member("fast").ActivatedWithinWindow);
        Assert.False(kit.Member("slow").ActivatedWithinWindow);
        Assert.Equal(T0 + (30 * H), kit.Member("slow").ConvertedAt);
        Assert.Null(kit.Member("fast").ConvertedAt);
    }

    [Fact]
    public void PerGroupPolicies_ApplyByGroup_WithTheDefaultForOthers()
    {
        var options = new LifecycleOptions { DefaultPolicy = new LifecyclePolicy { NicknamePattern = "^x$" } };
        options.Groups["open"] = new LifecyclePolicy();
        var kit = new LifecycleTestKit(options);
        kit.Apply(EventType.Joined, "m1", T0, group: "strict");
        kit.Apply(EventType.Joined, "m1", T0, group: "open");

        Assert.Equal(MemberState.Onboarding, kit.Member("m1", "strict").State);
        Assert.Equal(MemberState.Active, kit.Member("m1", "open").State);
    }

    [Fact]
    public void DeadlinesOfManyMembers_AreProcessedInTimeOrder()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy { NicknamePattern = "^x$" });
        var rng = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            kit.Apply(EventType.Joined, $"m{i}", T0.AddMinutes(rng.Next(0, 10_000)));
        }

        kit.TakeActions();
        kit.AdvanceTo(T0.AddDays(30));
        Assert.Equal(400, kit.Actions.Count);
        Assert.Equal(kit.Actions.OrderBy(a => a.At).Select(a => a.At), kit.Actions.Select(a => a.At));
        Assert.All(kit.Engine.Record(0).Tasks, _ => Assert.Fail("no tasks in this policy"));
    }
}
