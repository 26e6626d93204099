using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

/// <summary>
/// docs/lifecycle.md, sentence by sentence where earlier tests did not already hold it: its worked example run as
/// written on docs/examples/lifecycle-policy.json, and the cases the docs were silent on (now decided there).
/// </summary>
public sealed class LifecycleDocsTests
{
    /// <summary>A copy of docs/examples/lifecycle-policy.json; <see cref="TheExamplePolicy_IsTheDocsFile"/> keeps the two in step.</summary>
    private const string ExamplePolicy = """
        {
          "description": "The seed article's group: nickname 城市-姓名-职业 within 24h, speak every 3 days, a share screenshot within 48h under review, 48h warning, removed members banned forever.",
          "timeZone": "Asia/Shanghai",
          "default": {
            "nicknamePattern": "^[^-\\s]+-[^-\\s]+-[^-\\s]+$",
            "onboardingGrace": "24h",
            "speakEveryDays": 3,
            "requiredTasks": [
              { "id": "share-screenshot", "within": "48h" }
            ],
            "warningGrace": "48h",
            "protectedMembers": ["m-owner", "m-assistant-bot"],
            "rejoinBan": "forever",
            "rejoinAfterLeaving": "onboarding",
            "rules": "1. 群昵称改为 城市-姓名-职业 (24小时内). 2. 至少每3天发言一次. 3. 48小时内提交朋友圈分享截图. 4. 禁止广告."
          },
          "groups": {
            "g-vip": {
              "speakEveryDays": 7,
              "warningGrace": "72h",
              "rejoinBan": "30d",
              "rejoinAfterLeaving": "active",
              "rules": "VIP group: speak at least once a week."
            }
          }
        }
        """;

    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Join = new(2026, 11, 2, 10, 0, 0, Cst);

    private int _id;

    [Fact]
    public void TheExamplePolicy_IsTheDocsFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
        {
            dir = dir.Parent;
        }

        var example = dir is null ? null : Path.Combine(dir.FullName, "docs", "examples", "lifecycle-policy.json");
        if (example is not null && File.Exists(example))
        {
            Assert.Equal(File.ReadAllText(example).ReplaceLineEndings("\n").Trim(), ExamplePolicy.ReplaceLineEndings("\n").Trim());
        }
    }

    [Fact]
    public void WorkedExample_AMemberWhoJoinsAt10GetsTheWelcomeWithTheRules_AndANicknameAt11EndsOnboarding()
    {
        var (engine, actions) = Example();
        JoinWithNickname(engine);

        Assert.Equal(MemberActionKind.Welcome, actions[0].Kind);
        Assert.StartsWith("1. 群昵称改为 城市-姓名-职业", actions[0].Rules, StringComparison.Ordinal);
        Assert.Equal((MemberActionKind.Congratulation, Join.AddHours(1)), (actions[1].Kind, actions[1].At));
        Assert.Equal(MemberState.Active, engine.Find("g1", "m-1")!.State);
    }

    [Fact]
    public void WorkedExample_WithoutTheNicknameBy10TheNextDay_RemindedWithTheRemovalDeadlineTwoDaysLater_AndRemovedThen()
    {
        var (engine, actions) = Example();
        Apply(engine, EventType.Joined, Join);
        Apply(engine, EventType.TaskSubmitted, Join.AddHours(2), task: "share-screenshot");
        engine.AdvanceTo(Join.AddHours(24).AddTicks(-1));
        Assert.DoesNotContain(actions, a => a.Kind == MemberActionKind.Reminder);

        engine.AdvanceTo(Join.AddHours(24));
        var reminder = Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder);
        Assert.Equal((LifecycleReason.Nickname, Join.AddHours(24), Join.AddHours(72)), (reminder.Reason, reminder.At, reminder.Deadline));

        engine.AdvanceTo(Join.AddHours(72));
        var removal = Assert.Single(actions, a => a.Kind == MemberActionKind.Removal);
        Assert.Equal((LifecycleReason.Nickname, Join.AddHours(72)), (removal.Reason, removal.At));
        Assert.Equal(MemberState.Removed, engine.Find("g1", "m-1")!.State);
    }

    [Fact]
    public void WorkedExample_AScreenshotAtHour40MeetsThe48hDeadline_ARejectionAtHour44RemindsThatTheDeadlineIsStillHour48()
    {
        var (engine, actions) = Example();
        JoinWithNickname(engine);
        Apply(engine, EventType.TaskSubmitted, Join.AddHours(40), task: "share-screenshot");
        engine.AdvanceTo(Join.AddHours(44));
        Assert.DoesNotContain(actions, a => a.Kind == MemberActionKind.Reminder);

        Apply(engine, EventType.TaskRejected, Join.AddHours(44), task: "share-screenshot");
        var reminder = Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder);
        Assert.Equal((LifecycleReason.TaskRejected, "share-screenshot", Join.AddHours(48)), (reminder.Reason, reminder.Task, reminder.Deadline));
    }

    [Fact]
    public void WorkedExample_SomeoneWhoseLastMessageWasOn1102MustSpeakByTheEndOf1105()
    {
        var (engine, actions) = Example();
        JoinWithNickname(engine);
        Apply(engine, EventType.TaskSubmitted, Join.AddHours(2), task: "share-screenshot");
        Apply(engine, EventType.Message, new DateTimeOffset(2026, 11, 2, 23, 59, 0, Cst));

        engine.AdvanceTo(new DateTimeOffset(2026, 11, 5, 23, 59, 59, Cst));
        Assert.DoesNotContain(actions, a => a.Kind == MemberActionKind.Reminder);
        engine.AdvanceTo(new DateTimeOffset(2026, 11, 6, 0, 0, 0, Cst));
        var reminder = Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder);
        Assert.Equal((LifecycleReason.Inactive, new DateTimeOffset(2026, 11, 6, 0, 0, 0, Cst)), (reminder.Reason, reminder.At));
    }

    [Fact]
    public void Default_AJoinedForAMemberAlreadyPresent_ChangesNothing()
    {
        var (engine, actions) = Example();
        Apply(engine, EventType.Joined, Join);
        Apply(engine, EventType.Joined, Join.AddHours(5));

        Assert.Single(actions, a => a.Kind == MemberActionKind.Welcome);
        var m = engine.Find("g1", "m-1")!;
        Assert.Equal((MemberState.Onboarding, Join, Join), (m.State, m.JoinedAt, m.LastJoinedAt));
        engine.AdvanceTo(Join.AddHours(24));
        Assert.Equal(Join.AddHours(24), Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder).At); // the grace still counts from the first
    }

    [Fact]
    public void Default_ALeftOrASecondRemovedOfARemovedMember_ChangesNothing_AndTheBanCountsFromTheFirstRemoval()
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"rejoinBan":"10d"}}""");
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Apply(engine, EventType.Joined, t0);
        Apply(engine, EventType.Removed, t0.AddDays(1));
        Apply(engine, EventType.Removed, t0.AddDays(5));
        Apply(engine, EventType.Left, t0.AddDays(6));
        var m = engine.Find("g1", "m-1")!;
        Assert.Equal((MemberState.Removed, t0.AddDays(1)), (m.State, m.RemovedAt));

        Apply(engine, EventType.Joined, t0.AddDays(11).AddTicks(-1)); // 10 days after the first removal, less a tick: banned
        Assert.Equal(LifecycleReason.RejoinBanned, Assert.Single(actions, a => a.Kind == MemberActionKind.Removal).Reason);
        Apply(engine, EventType.Joined, t0.AddDays(11)); // 10 days after the first (6 after the second): welcome
        Assert.Equal(MemberState.Active, engine.Find("g1", "m-1")!.State);
        Assert.Equal(2, actions.Count(a => a.Kind == MemberActionKind.Welcome));
    }

    [Fact]
    public void Default_ATaskWithoutWithin_IsDue48HoursAfterTheLatestJoin()
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"requiredTasks":[{"id":"t"}]}}""");
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Apply(engine, EventType.Joined, t0);
        engine.AdvanceTo(t0.AddHours(48).AddTicks(-1));
        Assert.DoesNotContain(actions, a => a.Kind == MemberActionKind.Reminder);
        engine.AdvanceTo(t0.AddHours(48));
        Assert.Equal((LifecycleReason.TaskOverdue, "t"), (actions[^1].Reason, actions[^1].Task));
    }

    [Fact]
    public void Default_StaffAndBots_AreNeverActivatedWithinWindow()
    {
        var (engine, _) = Example();
        Apply(engine, EventType.Joined, Join, role: MemberRole.Staff, member: "m-staff");
        Apply(engine, EventType.Message, Join.AddMinutes(5), member: "m-staff");
        Apply(engine, EventType.Joined, Join, role: MemberRole.Bot, member: "m-bot");
        Apply(engine, EventType.Message, Join.AddMinutes(5), member: "m-bot");
        Apply(engine, EventType.Joined, Join, member: "m-1");
        Apply(engine, EventType.Message, Join.AddMinutes(5), member: "m-1");

        Assert.False(engine.Find("g1", "m-staff")!.ActivatedWithinWindow);
        Assert.False(engine.Find("g1", "m-bot")!.ActivatedWithinWindow);
        Assert.True(engine.Find("g1", "m-1")!.ActivatedWithinWindow);
    }

    [Fact]
    public void Default_ARemovalNamesTheFirstRequirementStillOverdueWhenTheWarningGraceEnds()
    {
        var (engine, actions) = Example();
        Apply(engine, EventType.Joined, Join);
        engine.AdvanceTo(Join.AddHours(48)); // nickname overdue at 24h (reminded), the screenshot at 48h
        Assert.Equal(LifecycleReason.Nickname, Assert.Single(actions, a => a.Kind == MemberActionKind.Reminder).Reason);

        Apply(engine, EventType.NicknameChanged, Join.AddHours(50), nickname: "上海-王伟-设计师");
        Assert.Equal(MemberState.AtRisk, engine.Find("g1", "m-1")!.State); // the screenshot is still overdue
        engine.AdvanceTo(Join.AddHours(72));
        var removal = Assert.Single(actions, a => a.Kind == MemberActionKind.Removal);
        Assert.Equal((LifecycleReason.TaskOverdue, "share-screenshot"), (removal.Reason, removal.Task));
    }

    [Theory]
    [InlineData("a-approve", "b-reject", MemberTaskStatus.Rejected)]
    [InlineData("b-approve", "a-reject", MemberTaskStatus.Approved)]
    public void Default_ARejectionAtTheSameInstantAsItsApproval_TheLaterInReplayOrderWins(string approveId, string rejectId, MemberTaskStatus expected)
    {
        var (engine, _) = Example();
        Apply(engine, EventType.Joined, Join);
        var at = Join.AddHours(3);
        var events = new[]
        {
            new CommunityEvent(approveId, EventType.TaskApproved, "g1", "m-1", at, task: "share-screenshot"),
            new CommunityEvent(rejectId, EventType.TaskRejected, "g1", "m-1", at, task: "share-screenshot"),
        };
        foreach (var e in events.OrderBy(e => e.Id, StringComparer.Ordinal)) // replay order: (instant, id)
        {
            engine.Apply(e);
        }

        Assert.Equal(expected, engine.Find("g1", "m-1")!.Tasks["share-screenshot"]);
    }

    [Fact]
    public void AMemberWhoLaterChangesToANonMatchingNickname_IsAtRiskAtOnce_AfterTheGrace_AndWithinItTheGraceStillRuns()
    {
        var (engine, actions) = Example();
        JoinWithNickname(engine);
        Apply(engine, EventType.TaskSubmitted, Join.AddHours(1), task: "share-screenshot");
        Apply(engine, EventType.NicknameChanged, Join.AddHours(2), nickname: "wang");
        Assert.Equal(MemberState.Active, engine.Find("g1", "m-1")!.State); // within the 24 h grace
        engine.AdvanceTo(Join.AddHours(24));
        Assert.Equal((LifecycleReason.Nickname, Join.AddHours(24)), (actions[^1].Reason, actions[^1].At));

        Apply(engine, EventType.NicknameChanged, Join.AddHours(30), nickname: "上海-王伟-设计师");
        Apply(engine, EventType.NicknameChanged, Join.AddHours(31), nickname: "wang-again");
        var reminder = actions[^1];
        Assert.Equal((MemberActionKind.Reminder, LifecycleReason.Nickname, Join.AddHours(31)), (reminder.Kind, reminder.Reason, reminder.At));
        Assert.Equal(MemberState.AtRisk, engine.Find("g1", "m-1")!.State);
    }

    [Fact]
    public void WhenSeveralRequirementsAreOverdueAtOnce_TheReasonNamedIsTheFirstOf_NicknameTasksInPolicyOrderSpeaking()
    {
        var (engine, actions) = Engine("""{"timeZone":"UTC","default":{"nicknamePattern":"^x$","onboardingGrace":"48h","speakEveryDays":1,"requiredTasks":[{"id":"b","within":"48h"},{"id":"a","within":"48h"}]}}""");
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Apply(engine, EventType.Joined, t0, member: "m-1");
        Apply(engine, EventType.Joined, t0, member: "m-2");
        Apply(engine, EventType.NicknameChanged, t0.AddHours(1), nickname: "x", member: "m-2");
        Apply(engine, EventType.Joined, t0, member: "m-3");
        Apply(engine, EventType.NicknameChanged, t0.AddHours(1), nickname: "x", member: "m-3");
        Apply(engine, EventType.TaskSubmitted, t0.AddHours(1), task: "a", member: "m-3");
        Apply(engine, EventType.TaskSubmitted, t0.AddHours(1), task: "b", member: "m-3");

        // Speaking is overdue from 11-03 00:00 for all three (joined 11-01, spoke 11-01 at the latest); the rest at 48 h too.
        engine.AdvanceTo(t0.AddHours(48));
        var reminders = actions.Where(a => a.Kind == MemberActionKind.Reminder).ToDictionary(a => a.Member, a => (a.Reason, a.Task));
        Assert.Equal((LifecycleReason.Nickname, (string?)null), reminders["m-1"]);
        Assert.Equal((LifecycleReason.TaskOverdue, "b"), reminders["m-2"]);
        Assert.Equal((LifecycleReason.Inactive, (string?)null), reminders["m-3"]);
    }

    [Fact]
    public void ALeftOrRemovedOfAnUnknownMember_CreatesThemInThatState()
    {
        var (engine, _) = Example();
        Apply(engine, EventType.Left, Join, member: "m-left");
        Apply(engine, EventType.Removed, Join, member: "m-removed");

        Assert.Equal((MemberState.Left, true), (engine.Find("g1", "m-left")!.State, engine.Find("g1", "m-left")!.JoinedBeforeTracking));
        Assert.Equal((MemberState.Removed, Join), (engine.Find("g1", "m-removed")!.State, engine.Find("g1", "m-removed")!.RemovedAt));
    }

    [Fact]
    public void ADeadlineAtExactlyTheEventsInstant_ComesFirst()
    {
        var (engine, actions) = Example();
        Apply(engine, EventType.Joined, Join);
        Apply(engine, EventType.TaskSubmitted, Join.AddHours(1), task: "share-screenshot");
        Apply(engine, EventType.NicknameChanged, Join.AddHours(24), nickname: "上海-王伟-设计师"); // the grace ends at this very instant

        Assert.Equal(
            [MemberActionKind.Welcome, MemberActionKind.Reminder, MemberActionKind.Congratulation],
            actions.Select(a => a.Kind));
        Assert.Equal(MemberState.Active, engine.Find("g1", "m-1")!.State);
    }

    /// <summary>The worked example's member: joins at 10:00, sets the nickname at 11:00.</summary>
    private void JoinWithNickname(MemberLifecycleEngine engine)
    {
        Apply(engine, EventType.Joined, Join);
        Apply(engine, EventType.NicknameChanged, Join.AddHours(1), nickname: "上海-王伟-设计师");
    }

    private static (MemberLifecycleEngine Engine, List<MemberAction> Actions) Example() => Engine(ExamplePolicy);

    private static (MemberLifecycleEngine Engine, List<MemberAction> Actions) Engine(string json) =>
        Issue15LifecycleRegressionTests.Engine(json);

    private void Apply(MemberLifecycleEngine engine, EventType type, DateTimeOffset at, string? task = null, string? nickname = null, MemberRole? role = null, string member = "m-1")
    {
        engine.AdvanceTo(at);
        engine.Apply(new CommunityEvent($"e{++_id:D4}", type, "g1", member, at, role: role, task: task, nickname: nickname));
    }
}
