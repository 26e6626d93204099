using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Lottery;

public sealed class DrawCampaignTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>Monday 2026-11-30 .. Sunday 2026-12-06, local.</summary>
    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Shanghai);

    private static DrawTemplate Weekly(TimeSpan? claim = null, params DrawPrize[] prizes) => new()
    {
        Id = "weekly",
        DrawIdPattern = "weekly-{week}",
        OpensOn = DayOfWeek.Monday,
        ClosesOn = DayOfWeek.Sunday,
        ClosesAt = new TimeOnly(20, 0),
        Entropy = DrawEntropy.None,
        ClaimPeriod = claim,
        Prizes = prizes.Length > 0 ? prizes :
        [
            new DrawPrize("first", 1, new RewardSpec { Kind = RewardKind.Prize, Prize = "the newest lipstick" }),
            new DrawPrize("second", 1, new RewardSpec { Kind = RewardKind.Coupon, Coupon = new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20, ValidDays = 14 } }),
        ],
    };

    private static RewardRuleSet CheckinRules() => new()
    {
        Rules =
        [
            new RewardRule
            {
                Id = "checkin-weekly-ticket",
                Trigger = new RewardTrigger { Kind = RewardTriggerKind.Checkin },
                Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Draw = "weekly-{week}" }],
                Limits = new RewardLimits { PerMemberPerDay = 1 },
            },
        ],
    };

    private sealed record Setup(ServiceProvider Provider, FakeTimeProvider Time, IRewardEngine Engine, IDrawCampaign Campaign, IRewardLedger Ledger, IDrawService Draws);

    private static Setup Create(params DrawTemplate[] templates)
    {
        var time = new FakeTimeProvider(Local(11, 30, 0));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddCommunityFunnel(o => o.TimeZoneId = "Asia/Shanghai").UseInMemoryStores()
            .AddRewardRules(CheckinRules()).AddDrawTemplates(templates);
        var p = services.BuildServiceProvider(validateScopes: true);
        _ = p.GetRequiredService<IOptions<DrawCampaignOptions>>().Value;
        return new Setup(p, time, p.GetRequiredService<IRewardEngine>(), p.GetRequiredService<IDrawCampaign>(),
            p.GetRequiredService<IRewardLedger>(), p.GetRequiredService<IDrawService>());
    }

    private static int _id;

    private static Task Event(Setup s, EventType type, string member, DateTimeOffset at) =>
        s.Engine.ProcessAsync(new CommunityEvent($"e{Interlocked.Increment(ref _id):D6}", type, "g1", member, at, channel: type == EventType.Joined ? "poster" : null, task: type == EventType.Checkin ? "daily" : null));

    private static async Task<CampaignAdvance> Advance(Setup s, DateTimeOffset at)
    {
        s.Time.SetUtcNow(at);
        return await s.Campaign.AdvanceAsync(at);
    }

    [Fact]
    public void Start_FailsForARuleWhoseDrawNoTemplateMatches_NamingBoth()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddRewardRules(CheckinRules())
            .AddDrawTemplates(Weekly() with { Id = "monthly", DrawIdPattern = "free-order-{month}", OpensOn = null, ClosesOn = null });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DrawCampaignOptions>>().Value);

        Assert.Contains("rule 'checkin-weekly-ticket' grants tickets for draw 'weekly-{week}', which no draw template matches", e.Message, StringComparison.Ordinal);
        Assert.Contains("'monthly' free-order-{month}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ReportsEveryBadTemplateField()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddRewardRules(CheckinRules())
            .AddDrawTemplates(Weekly(), Weekly() with { Id = "bad", DrawIdPattern = "x-{week}-{month}", Prizes = [], ClaimPeriod = TimeSpan.Zero, Budget = "nope" });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DrawCampaignOptions>>().Value);

        Assert.Contains("templates[bad].drawIdPattern: must hold exactly one", e.Message, StringComparison.Ordinal);
        Assert.Contains("templates[bad].prizes: must list at least one tier", e.Message, StringComparison.Ordinal);
        Assert.Contains("templates[bad].claimPeriod: must be positive", e.Message, StringComparison.Ordinal);
        Assert.Contains("templates[bad].budget: no budget 'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_OfAWeeklyTemplate_IsMondayMidnightToSunday20Local()
    {
        var zone = TimeZones.Find("Asia/Shanghai", "zone");
        var (opens, closes) = DrawCampaign.Window(Weekly(), new DateOnly(2026, 11, 30), zone);

        Assert.Equal(Local(11, 30, 0), opens);
        Assert.Equal(Local(12, 6, 20), closes);

        var monthly = Weekly() with { DrawIdPattern = "free-order-{month}", OpensOn = null, ClosesOn = null, ClosesAt = default };
        Assert.Equal((Local(11, 1, 0), Local(12, 1, 0)), DrawCampaign.Window(monthly, new DateOnly(2026, 11, 1), zone));
    }

    [Fact]
    public void FindTemplate_MatchesOnlyRealInstances()
    {
        using var s = Create(Weekly()).Provider;
        var campaign = s.GetRequiredService<IDrawCampaign>();

        Assert.Equal("weekly", campaign.FindTemplate("weekly-2026-11-30")?.Id);
        Assert.Null(campaign.FindTemplate("weekly-2026-12-01")); // a Tuesday is no week
        Assert.Null(campaign.FindTemplate("weekly-2026-11"));
    }

    [Fact]
    public async Task Tickets_EnterTheDraw_ItClosesOnTime_PrizesAreGrantedOnce_LateTicketsAreRefused()
    {
        var s = Create(Weekly());
        foreach (var m in new[] { "m-1", "m-2", "m-3" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
        }

        await Event(s, EventType.Checkin, "m-1", Local(11, 30, 10));
        await Event(s, EventType.Checkin, "m-1", Local(12, 1, 10));
        await Event(s, EventType.Checkin, "m-2", Local(12, 2, 10));
        await Event(s, EventType.Checkin, "m-3", Local(12, 6, 19, 59));

        var open = await Advance(s, Local(12, 6, 19, 59));
        Assert.Equal(1, open.Created);
        var record = await s.Draws.GetAsync("weekly-2026-11-30");
        Assert.Equal(DrawState.Open, record!.State);

        // A check-in after the close is granted by the rules (same week) but refused by the draw.
        await Event(s, EventType.Checkin, "m-2", Local(12, 6, 20, 30));
        var closed = await Advance(s, Local(12, 6, 21));

        Assert.Equal(1, closed.Drawn);
        Assert.Equal(1, closed.Refused);
        var ledger = await s.Ledger.GetEntriesAsync(default);
        var refusal = Assert.Single(ledger, e => e.Refusal is not null);
        Assert.Equal(TicketRefusalReason.DrawClosed, refusal.Refusal);
        Assert.Equal("m-2", refusal.Member);

        var proof = (await s.Draws.GetAsync("weekly-2026-11-30"))!.Proof!;
        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.Equal(RewardDraws.EntriesFor(ledger, "weekly-2026-11-30"), proof.Entries);
        Assert.Equal([new DrawEntry("m-1", 2), new DrawEntry("m-2", 1), new DrawEntry("m-3", 1)], proof.Entries);

        var prizes = ledger.Where(e => e.RuleId == "weekly-2026-11-30").ToList();
        Assert.Equal(2, prizes.Count);
        foreach (var winner in proof.Winners)
        {
            Assert.Single(prizes, p => p.Member == winner.Entry);
        }

        Assert.Contains(prizes, p => p.Rewards[0].Kind == RewardKind.Prize && p.Rewards[0].Prize == "the newest lipstick");
        var published = Assert.Single(closed.Actions, a => a.Kind == CampaignActionKind.DrawPublished);
        Assert.Equal(proof.EntriesRoot, published.Proof!.EntriesRoot);
        var coupon = Assert.Single(closed.Actions, a => a.Kind == CampaignActionKind.PrizeWon && a.Reward!.Kind == RewardKind.Coupon);
        Assert.False(string.IsNullOrEmpty(coupon.CouponCode));

        // Again: nothing more happens.
        var again = await Advance(s, Local(12, 6, 22));
        Assert.Empty(again.Actions);
        Assert.Equal(ledger.Count, (await s.Ledger.GetEntriesAsync(default)).Count);
    }

    [Fact]
    public async Task AReversal_WithdrawsTheTickets_AndTheCatchUpAppliesOnlyTheDifference()
    {
        var s = Create(Weekly());
        await Event(s, EventType.Joined, "m-1", Local(11, 30, 9));
        await Event(s, EventType.Checkin, "m-1", Local(11, 30, 10));
        await Event(s, EventType.Checkin, "m-1", Local(12, 1, 10));
        await Advance(s, Local(12, 1, 11));
        var store = s.Provider.GetRequiredService<IDrawStore>();
        Assert.Equal(2, Assert.Single(await store.GetEntriesAsync("weekly-2026-11-30", default)).Weight);

        // As if the host crashed after the ledger write: the next call catches up; a repeated call changes nothing.
        var grant = (await s.Ledger.GetEntriesAsync(default)).First(e => e.Kind == RewardEntryKind.Grant);
        await s.Ledger.TryReverseAsync(grant.Key, Local(12, 1, 12), "reject-1", default);
        Assert.Equal(1, (await Advance(s, Local(12, 1, 13))).EntryChanges); // the entry set to the net
        Assert.Equal(1, Assert.Single(await store.GetEntriesAsync("weekly-2026-11-30", default)).Weight);
        Assert.Equal(0, (await Advance(s, Local(12, 1, 14))).EntryChanges);
    }

    [Fact]
    public async Task AWinnerWhoLeft_IsForfeited_AndGetsNoPrize()
    {
        var s = Create(Weekly(null, new DrawPrize("first", 3, new RewardSpec { Kind = RewardKind.Points, Quantity = 100 })));
        foreach (var m in new[] { "m-1", "m-2", "m-3" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
            await Event(s, EventType.Checkin, m, Local(11, 30, 10));
        }

        await Event(s, EventType.Left, "m-2", Local(12, 3, 10));
        var done = await Advance(s, Local(12, 6, 20));

        Assert.Equal(1, done.Forfeited);
        var proof = (await s.Draws.GetAsync("weekly-2026-11-30"))!.Proof!;
        Assert.Equal(["m-2"], proof.Forfeited);
        Assert.True(FairDraw.Verify(proof).IsValid);
        var prizes = (await s.Ledger.GetEntriesAsync(default)).Where(e => e.RuleId == "weekly-2026-11-30").Select(e => e.Member).Order(StringComparer.Ordinal);
        Assert.Equal(["m-1", "m-3"], prizes);
    }

    [Fact]
    public async Task AnUnclaimedPrize_MovesOnce_ToTheReplacement_WhoClaimsIt()
    {
        var s = Create(Weekly(TimeSpan.FromDays(1), new DrawPrize("first", 1, new RewardSpec { Kind = RewardKind.Points, Quantity = 100 })));
        foreach (var m in new[] { "m-1", "m-2" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
            await Event(s, EventType.Checkin, m, Local(11, 30, 10));
        }

        var drawn = await Advance(s, Local(12, 6, 20));
        var won = Assert.Single(drawn.Actions, a => a.Kind == CampaignActionKind.PrizeWon);
        Assert.Null(won.GrantKey);
        Assert.Equal(Local(12, 7, 20), won.ClaimBy);
        Assert.DoesNotContain(await s.Ledger.GetEntriesAsync(default), e => e.RuleId == "weekly-2026-11-30");

        var late = await Advance(s, Local(12, 7, 20));
        Assert.Equal(1, late.Forfeited);
        var moved = Assert.Single(late.Actions, a => a.Kind == CampaignActionKind.PrizeWon);
        Assert.NotEqual(won.Member, moved.Member);
        Assert.Null(await s.Campaign.ClaimAsync("weekly-2026-11-30", won.Member!, Local(12, 7, 21)));

        var claimed = await s.Campaign.ClaimAsync("weekly-2026-11-30", moved.Member!, Local(12, 7, 21));
        Assert.NotNull(claimed!.GrantKey);
        var again = await s.Campaign.ClaimAsync("weekly-2026-11-30", moved.Member!, Local(12, 7, 22));
        Assert.Equal(claimed.GrantKey, again!.GrantKey);
        Assert.Equal(0, (await Advance(s, Local(12, 10, 0))).Forfeited);

        var grant = Assert.Single(await s.Ledger.GetEntriesAsync(default), e => e.RuleId == "weekly-2026-11-30");
        Assert.Equal(moved.Member, grant.Member);
        Assert.Equal([won.Member!], (await s.Draws.GetAsync("weekly-2026-11-30"))!.Proof!.Forfeited);
    }

    private static (CampaignActionKind, string?, string?, int?, string?, string?, DateTimeOffset?, int) Shape(CampaignAction a) =>
        (a.Kind, a.Member, a.Tier, a.Slot, a.GrantKey, a.CouponCode, a.ClaimBy, a.Proof?.Winners.Count ?? -1);

    [Fact]
    public async Task ListActions_AreWhatTheDrawDecided_AsOfTheCall_AndChangeNothing()
    {
        var s = Create(Weekly());
        foreach (var m in new[] { "m-1", "m-2", "m-3", "m-4" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
            await Event(s, EventType.Checkin, m, Local(11, 30, 10));
        }

        Assert.Empty(await s.Campaign.ListActionsAsync(Local(12, 1, 0))); // open: nothing to announce yet
        var drawn = await Advance(s, Local(12, 6, 20));
        Assert.Contains(drawn.Actions, a => a.CouponCode is not null);
        var ledger = (await s.Ledger.GetEntriesAsync(default)).Count;

        var listed = await s.Campaign.ListActionsAsync(Local(12, 8, 9));
        Assert.Equal(drawn.Actions.Select(Shape), listed.Select(Shape));
        Assert.All(listed, a => Assert.Equal(Local(12, 8, 9), a.At));
        Assert.Equal((await s.Draws.GetAsync("weekly-2026-11-30"))!.Proof, listed.Single(a => a.Kind == CampaignActionKind.DrawPublished).Proof);
        Assert.Equal(ledger, (await s.Ledger.GetEntriesAsync(default)).Count);
        Assert.Equal(listed.Select(Shape), (await s.Campaign.ListActionsAsync(Local(12, 9, 9))).Select(Shape)); // the same coupon codes again
    }

    [Fact]
    public async Task ListActions_AfterAForfeit_AreTheLatestPublication_AndTheReplacementsClaim_UntilItsDeadline()
    {
        var s = Create(Weekly(TimeSpan.FromDays(1), new DrawPrize("first", 1, new RewardSpec { Kind = RewardKind.Points, Quantity = 100 })));
        foreach (var m in new[] { "m-1", "m-2" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
            await Event(s, EventType.Checkin, m, Local(11, 30, 10));
        }

        await Advance(s, Local(12, 6, 20));
        var moved = Assert.Single((await Advance(s, Local(12, 7, 20))).Actions, a => a.Kind == CampaignActionKind.PrizeWon);

        var listed = await s.Campaign.ListActionsAsync(Local(12, 7, 21));
        Assert.Equal(
            [(CampaignActionKind.DrawPublished, null, null, null, null, null, null, 2), (CampaignActionKind.PrizeWon, moved.Member, "first", 0, null, null, Local(12, 8, 20), -1)],
            listed.Select(Shape));
        Assert.DoesNotContain(await s.Campaign.ListActionsAsync(Local(12, 8, 20)), a => a.Kind == CampaignActionKind.PrizeWon); // its claim ran out

        var claimed = await s.Campaign.ClaimAsync("weekly-2026-11-30", moved.Member!, Local(12, 7, 22));
        var won = Assert.Single(await s.Campaign.ListActionsAsync(Local(12, 9, 0)), a => a.Kind == CampaignActionKind.PrizeWon);
        Assert.Equal(claimed!.GrantKey, won.GrantKey);
        Assert.Null(won.ClaimBy);
    }

    [Theory]
    [InlineData("ClosedWithoutRoot")]
    [InlineData("EntropySupplied")]
    public async Task ADrawWhoseCloseAnInstanceLeftHalfDone_IsFinishedByTheNextAdvance_WithItsPublicationAndPrizes(string interruption)
    {
        var s = Create(Weekly(null, new DrawPrize("first", 2, new RewardSpec { Kind = RewardKind.Points, Quantity = 100 })));
        foreach (var m in new[] { "m-1", "m-2", "m-3" })
        {
            await Event(s, EventType.Joined, m, Local(11, 30, 9));
            await Event(s, EventType.Checkin, m, Local(11, 30, 10));
        }

        await Advance(s, Local(12, 1, 0)); // created and entered
        var store = s.Provider.GetRequiredService<IDrawStore>();
        var open = (await s.Draws.GetAsync("weekly-2026-11-30"))!;
        s.Time.SetUtcNow(Local(12, 6, 20));
        if (interruption == "ClosedWithoutRoot")
        {
            // Only the first of the close's two writes: the state, not the entries root.
            Assert.True(await store.TryUpdateAsync(open with { State = DrawState.Closed, ClosedAt = Local(12, 6, 20), Version = open.Version + 1 }, open.Version, default));
        }
        else
        {
            await s.Draws.CloseAsync("weekly-2026-11-30");
            await s.Draws.SupplyEntropyAsync("weekly-2026-11-30", ReadOnlyMemory<byte>.Empty);
        }

        var done = await Advance(s, Local(12, 6, 21));

        var record = (await s.Draws.GetAsync("weekly-2026-11-30"))!;
        Assert.Equal(DrawState.Drawn, record.State);
        Assert.True(FairDraw.Verify(record.Proof!).IsValid);
        Assert.Equal(3, record.Proof!.Entries.Count);
        Assert.Equal(1, done.Drawn);
        Assert.Single(done.Actions, a => a.Kind == CampaignActionKind.DrawPublished);
        Assert.Equal(2, (await s.Ledger.GetEntriesAsync(default)).Count(e => e.RuleId == "weekly-2026-11-30"));
        Assert.Equal(0, (await Advance(s, Local(12, 6, 22))).PrizesGranted); // and nothing twice
    }
}
