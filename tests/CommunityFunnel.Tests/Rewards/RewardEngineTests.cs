using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using static CommunityFunnel.Tests.Rewards.RewardScenario;

namespace CommunityFunnel.Tests.Rewards;

public sealed class RewardEngineTests
{
    private static readonly RewardTrigger Checkin = new() { Kind = RewardTriggerKind.Checkin };

    [Fact]
    public void Checkin_GrantsOncePerLocalDay_InTheCommunityZone_NotPerUtcDay()
    {
        var s = new RewardScenario();
        s.Checkin("m1", Local(3, 0, 30));   // 2 Nov 16:30 UTC, but 3 Nov in Shanghai
        s.Checkin("m1", Local(3, 23, 50));  // 3 Nov 15:50 UTC: same local day
        s.Checkin("m1", Local(4, 0, 5));    // next local day, five minutes later by the clock that matters

        var result = s.Replay(Rules(Rule("c", Checkin)));

        Assert.Equal(["c|2:m1|d:2026-11-03", "c|2:m1|d:2026-11-04"], result.Ledger.Select(e => e.Key));
    }

    [Fact]
    public void Checkin_DayBoundary_FollowsTheZone_NewYorkFallBackDayHas25Hours()
    {
        var s = new RewardScenario();
        var ny = TimeSpan.FromHours(-4);
        s.Checkin("m1", new DateTimeOffset(2026, 11, 1, 0, 10, 0, ny));                          // 1 Nov, EDT
        s.Checkin("m1", new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.FromHours(-5)));    // 24h20m later, still 1 Nov (EST)
        s.Checkin("m1", new DateTimeOffset(2026, 11, 2, 0, 10, 0, TimeSpan.FromHours(-5)));     // 2 Nov

        var result = s.Replay(Rules(Rule("c", Checkin)), "America/New_York");

        Assert.Equal(["c|2:m1|d:2026-11-01", "c|2:m1|d:2026-11-02"], result.Ledger.Select(e => e.Key));
    }

    [Fact]
    public void Streak_CountsConsecutiveLocalDays_ResetsOnAMissedDay_AndFiresAtEachMultiple()
    {
        var s = new RewardScenario();
        foreach (var day in new[] { 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 })
        {
            s.Checkin("m1", Local(day, day % 2 == 0 ? 23 : 0, 30)); // late and early in the day: no 24-hour windows
        }

        var result = s.Replay(Rules(Rule("s", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 7 })));

        // Days 1-3 break on the 4th; 5..11 is the first 7-day streak, 12..18 the second.
        Assert.Equal(["s|2:m1|s:2026-11-11", "s|2:m1|s:2026-11-18"], result.Ledger.Select(e => e.Key));
    }

    [Fact]
    public async Task Streak_LateCheckinFillingAGap_CompletesTheStreak_WithTheSameKeyAsAReplay()
    {
        var s = new RewardScenario();
        foreach (var day in new[] { 1, 2, 3, 5, 6, 7 })
        {
            s.Checkin("m1", Local(day, 20));
        }

        var late = s.Checkin("m1", Local(4, 20));
        var rules = Rules(Rule("s", new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 7 }));

        // Live, in arrival order (day 4 last):
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(rules, TimeZones.Find("Asia/Shanghai", "zone"), ledger, new InMemoryMemberDirectory());
        foreach (var e in s.Events)
        {
            await engine.ProcessAsync(e);
        }

        var replay = s.Replay(rules);
        Assert.Equal(["s|2:m1|s:2026-11-07"], ledger.Snapshot().Select(e => e.Key));
        Assert.Equal(ledger.Snapshot().Select(e => e.Key), replay.Ledger.Select(e => e.Key));
        Assert.Equal(late.Id, ledger.Snapshot()[0].EventId);
    }

    [Fact]
    public void Count_MessagesInAWeek_FiresOncePerWeek_WhenTheNthArrives()
    {
        var s = new RewardScenario();
        for (var i = 0; i < 5; i++)
        {
            s.Add(EventType.Message, "m1", Local(2, 10 + i)); // Monday 2 Nov
        }

        s.Add(EventType.Message, "m1", Local(8, 23));       // Sunday: same ISO week, sixth message
        s.Add(EventType.Message, "m1", Local(9, 0, 1));     // next week: count restarts
        var rule = Rule("talk", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 3, Period = RewardPeriod.Week });

        var result = s.Replay(Rules(rule));

        var grant = Assert.Single(result.Ledger);
        Assert.Equal("talk|2:m1|p:w2026-11-02", grant.Key);
        Assert.Equal(s.Events[2].Id, grant.EventId);
    }

    [Fact]
    public void OrderTotal_IsPerLocalCalendarMonth_AndFiresWhenTheTotalIsReached()
    {
        var s = new RewardScenario();
        s.Add(EventType.Order, "m1", new DateTimeOffset(2026, 10, 31, 23, 0, 0, Shanghai), amount: 15_000); // October
        s.Add(EventType.Order, "m1", new DateTimeOffset(2026, 10, 31, 16, 30, 0, TimeSpan.Zero), amount: 6_000); // 1 Nov 00:30 local
        s.Add(EventType.Order, "m1", Local(20, 12), amount: 4_000);
        s.Add(EventType.Order, "m1", Local(21, 12), amount: 9_000);
        var rule = Rule("spend100", new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Amount = 10_000 });

        var result = s.Replay(Rules(rule));

        Assert.Equal(["spend100|2:m1|p:2026-10", "spend100|2:m1|p:2026-11"], result.Ledger.Select(e => e.Key));
        Assert.Equal(s.Events[2].Id, result.Ledger[1].EventId); // 6 000 + 4 000 reaches 10 000
    }

    [Fact]
    public void FirstOrder_FiresOnce_ForTheEarliestOrder()
    {
        var s = new RewardScenario();
        s.Add(EventType.Order, "m1", Local(5, 12), amount: 100);
        s.Add(EventType.Order, "m1", Local(3, 12), amount: 0);
        s.Add(EventType.Order, "m1", Local(9, 12), amount: 100);

        var result = s.Replay(Rules(Rule("first", new RewardTrigger { Kind = RewardTriggerKind.FirstOrder })));

        var grant = Assert.Single(result.Ledger);
        Assert.Equal(s.Events[1].Id, grant.EventId);
    }

    [Fact]
    public void Approved_Grants_ALaterRejectionReverses_AndReturnsTheBudget()
    {
        var s = new RewardScenario();
        s.Add(EventType.TaskSubmitted, "m1", Local(2, 10), task: "share");
        s.Add(EventType.TaskApproved, "m1", Local(2, 11), task: "share");
        s.Add(EventType.TaskApproved, "m2", Local(2, 11), task: "share");
        s.Add(EventType.TaskRejected, "m1", Local(3, 9), task: "share");
        s.Add(EventType.TaskApproved, "m3", Local(3, 10), task: "share");
        var rules = new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "pts", Limit = 100 }],
            Rules = [Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }, budget: "pts", quantity: 50)],
        };

        var result = s.Replay(rules);

        Assert.Equal(
            [(RewardEntryKind.Grant, "m1"), (RewardEntryKind.Grant, "m2"), (RewardEntryKind.Reversal, "m1"), (RewardEntryKind.Grant, "m3")],
            result.Ledger.Select(e => (e.Kind, e.Member)));
        Assert.Equal(result.Ledger[0].Key, result.Ledger[2].Reverses);
        Assert.Equal(100, result.Budgets[0].Used); // m3 got the 50 that m1's reversal returned
        Assert.Equal(0, result.Members.Single(m => m.Member == "m1").Points);
        Assert.Equal(1, result.Statistics.Reversals);
    }

    [Fact]
    public async Task Approved_WhenTheRejectionArrivesFirst_LiveGivesTheSameGrantAndReversalAsTheReplay()
    {
        var s = new RewardScenario();
        var approved = s.Add(EventType.TaskApproved, "m1", Local(2, 11), task: "share");
        var rejected = s.Add(EventType.TaskRejected, "m1", Local(2, 12), task: "share");
        var rules = Rules(Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" }));
        var ledger = new InMemoryRewardLedger();
        var engine = new RewardEngine(rules, TimeZones.Find("Asia/Shanghai", "zone"), ledger, new InMemoryMemberDirectory());

        await engine.ProcessAsync(rejected);
        await engine.ProcessAsync(approved);

        Assert.Equal(Describe(s.Replay(rules).Ledger), Describe(ledger.Snapshot()));
        Assert.Equal(2, ledger.Snapshot().Count);
    }

    [Fact]
    public void Rejection_DoesNotReverseALaterReapproval()
    {
        var s = new RewardScenario();
        s.Add(EventType.TaskApproved, "m1", Local(2, 11), task: "share");
        s.Add(EventType.TaskRejected, "m1", Local(2, 12), task: "share");
        s.Add(EventType.TaskApproved, "m1", Local(2, 13), task: "share");

        var result = s.Replay(Rules(Rule("share", new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = "share" })));

        Assert.Equal(1, result.Members.Single().Grants);
        Assert.Equal([RewardEntryKind.Grant, RewardEntryKind.Reversal, RewardEntryKind.Grant], result.Ledger.Select(e => e.Kind));
    }

    [Fact]
    public void Submitted_OnlyForTheNamedTask_AndCappedPerMemberPerWeek()
    {
        var s = new RewardScenario();
        s.Add(EventType.TaskSubmitted, "m1", Local(2, 10), task: "suggestion");
        s.Add(EventType.TaskSubmitted, "m1", Local(3, 10), task: "suggestion"); // same week: capped
        s.Add(EventType.TaskSubmitted, "m1", Local(3, 11), task: "other");
        s.Add(EventType.TaskSubmitted, "m1", Local(9, 10), task: "suggestion"); // next week
        var rule = Rule("idea", new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "suggestion" }, new RewardLimits { PerMemberPerWeek = 1 });

        var result = s.Replay(Rules(rule));

        Assert.Equal([s.Events[0].Id, s.Events[3].Id], result.Ledger.Select(e => e.EventId));
        Assert.Equal(1, result.Statistics.LimitReached);
    }

    [Fact]
    public void Eligibility_LeavesOutStaffBotsLeaversAndOtherChannels()
    {
        var s = new RewardScenario();
        s.Join("ok", Local(1, 9), channel: "poster");
        s.Join("staff", Local(1, 9), role: MemberRole.Staff, channel: "poster");
        s.Join("bot", Local(1, 9), role: MemberRole.Bot, channel: "poster");
        s.Join("qr", Local(1, 9), channel: "store-qr");
        s.Join("gone", Local(1, 9), channel: "poster");
        s.Add(EventType.Left, "gone", Local(1, 10));
        s.Join("late", Local(6, 9), channel: "poster");
        foreach (var m in new[] { "ok", "staff", "bot", "qr", "gone", "late", "unknown" })
        {
            s.Checkin(m, Local(7, 12));
        }

        var eligibility = new RewardEligibility
        {
            States = [MembershipState.InGroup],
            Channels = ["poster"],
            JoinedBefore = Local(5, 0),
        };

        var result = s.Replay(Rules(Rule("c", Checkin, eligibility: eligibility)));

        Assert.Equal(["ok"], result.Ledger.Select(e => e.Member));
        Assert.Equal(6, result.Statistics.Ineligible);
    }

    [Theory]
    [InlineData(true, new[] { "ok", "unknown" })]
    [InlineData(false, new[] { "bot", "ok", "staff", "unknown" })]
    public void RoleOnlyEligibility_ExcludesStaffAndBotsOnlyWhenAsked(bool exclude, string[] rewarded)
    {
        var s = new RewardScenario();
        s.Join("ok", Local(1, 9), channel: "poster");
        s.Join("staff", Local(1, 9), role: MemberRole.Staff, channel: "poster");
        s.Join("bot", Local(1, 9), role: MemberRole.Bot, channel: "poster");
        foreach (var m in new[] { "ok", "staff", "bot", "unknown" })
        {
            s.Checkin(m, Local(7, 12));
        }

        var result = s.Replay(Rules(Rule("c", Checkin, eligibility: new RewardEligibility { ExcludeStaffAndBots = exclude })));

        Assert.Equal(rewarded, result.Ledger.Select(e => e.Member).Order(StringComparer.Ordinal));
        Assert.Equal(exclude ? 2 : 0, result.Statistics.Ineligible);
    }

    [Fact]
    public void ActiveWindow_IsFromInclusiveToExclusive()
    {
        var s = new RewardScenario();
        s.Checkin("m1", Local(1, 23, 59));
        s.Checkin("m1", Local(2, 0));
        s.Checkin("m1", Local(3, 0));
        var rule = Rule("c", Checkin) with { ActiveFrom = Local(2, 0), ActiveTo = Local(3, 0) };

        var result = s.Replay(Rules(rule));

        Assert.Equal(["c|2:m1|d:2026-11-02"], result.Ledger.Select(e => e.Key));
    }

    [Fact]
    public void RuleTotal_AndBudget_AreNeverExceeded()
    {
        var s = new RewardScenario();
        for (var i = 0; i < 10; i++)
        {
            s.Checkin($"m{i}", Local(2, 10, i));
        }

        var rules = new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "money", Limit = 1_000, Currency = "CNY" }],
            Rules =
            [
                Rule("capped", Checkin, new RewardLimits { RuleTotal = 3 }),
                Rule("budgeted", Checkin, budget: "money") with
                {
                    Rewards = [new RewardSpec { Kind = RewardKind.Coupon, Cost = 300, Coupon = new RewardCoupon { Kind = CouponKind.AmountOff, AmountOff = 300 } }],
                },
            ],
        };

        var result = s.Replay(rules);

        Assert.Equal(3, result.Rules[0].Grants);
        Assert.Equal(3, result.Rules[1].Grants);
        Assert.Equal(900, result.Budgets[0].Used);
        Assert.Equal(100, result.Budgets[0].Remaining);
        Assert.Equal(7, result.Statistics.BudgetExhausted);
        Assert.Equal(7, result.Statistics.LimitReached);
    }

    [Fact]
    public void Coupon_ExpiresAtTheStartOfTheLocalDayAfterItsValidDays()
    {
        var s = new RewardScenario();
        s.Checkin("m1", Local(30, 23, 59));
        var rule = Rule("c", Checkin) with
        {
            Rewards = [new RewardSpec { Kind = RewardKind.Coupon, Coupon = new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20, ValidDays = 2 } }],
        };

        var grant = Assert.Single(s.Replay(Rules(rule)).Ledger);

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, Shanghai), grant.ExpiresAt);
    }

    [Fact]
    public void DrawTemplates_ResolveToTheLocalWeekAndMonth()
    {
        Assert.Equal("weekly-2026-11-30", DrawIdPlaceholders.Resolve("weekly-{week}", new DateOnly(2026, 12, 6)));
        Assert.Equal("free-order-2026-12/2026-12-06", DrawIdPlaceholders.Resolve("free-order-{month}/{date}", new DateOnly(2026, 12, 6)));
    }

    [Fact]
    public void GrantKeys_DoNotCollide_WhateverTheMemberId()
    {
        Assert.NotEqual(RewardEngine.GrantKey("r", "a|d:1", "x"), RewardEngine.GrantKey("r", "a", "d:1|x"));
    }

    [Fact]
    public void Duplicates_AndEventsAtOrAfterAsOf_AreLeftOut()
    {
        var s = new RewardScenario();
        var e = s.Checkin("m1", Local(2, 10));
        s.Events.Add(e);
        s.Checkin("m1", Local(3, 10));

        var result = RewardReplay.Run(s.Events, Rules(Rule("c", Checkin)), Local(3, 10));

        Assert.Single(result.Ledger);
        Assert.Equal(1, result.Duplicates);
    }

    [Fact]
    public async Task LateEventForAnEarlierPeriod_IsReportedTooLate_Live()
    {
        var s = new RewardScenario();
        var rules = Rules(Rule("talk", new RewardTrigger { Kind = RewardTriggerKind.Count, Event = EventType.Message, Count = 2, Period = RewardPeriod.Day }));
        var engine = new RewardEngine(rules, TimeZones.Find("Asia/Shanghai", "zone"), new InMemoryRewardLedger(), new InMemoryMemberDirectory());

        await engine.ProcessAsync(s.Add(EventType.Message, "m1", Local(3, 10)));
        await engine.ProcessAsync(s.Add(EventType.Message, "m1", Local(2, 10)));

        Assert.Equal(1, engine.Statistics.TooLate);
        Assert.Equal(0, engine.Statistics.Grants);
    }

    [Fact]
    public async Task SameEventTwice_Live_GrantsOnce()
    {
        var s = new RewardScenario();
        var rules = Rules(Rule("idea", new RewardTrigger { Kind = RewardTriggerKind.Submitted }));
        var engine = new RewardEngine(rules, TimeZones.Find("Asia/Shanghai", "zone"), new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        var e = s.Add(EventType.TaskSubmitted, "m1", Local(3, 10), task: "form");

        Assert.Equal(1, await engine.ProcessAsync(e));
        Assert.Equal(0, await engine.ProcessAsync(e));
        Assert.Equal(1, engine.Statistics.AlreadyGranted);
    }

    [Fact]
    public async Task ReplayIntoASharedLedger_ReportsTheOtherRulesToo()
    {
        var s = new RewardScenario();
        s.Checkin("m1", Local(2, 10));
        var ledger = new InMemoryRewardLedger();
        await s.ReplayAsync(Rules(Rule("old", Checkin)), ledger);

        var result = await s.ReplayAsync(Rules(Rule("new", Checkin)), ledger);

        Assert.Equal(["new", "old"], result.Rules.Select(r => r.RuleId));
        Assert.Equal(2, result.Members.Single().Grants);
    }
}
