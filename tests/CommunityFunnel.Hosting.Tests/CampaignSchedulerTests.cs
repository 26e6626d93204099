using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>
/// The scheduler runs the recurring draws on its tick and hands their actions, with deterministic ids, to the campaign
/// handlers: directly with the action outbox off, through the outbox (at least once, retried, caught up after a stop)
/// with it on.
/// </summary>
public sealed class CampaignSchedulerTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static DateTimeOffset Local(int day, int hour) => new(2026, 12, day, hour, 0, 0, Shanghai);

    private sealed class Announcer(bool fail = false) : ICampaignActionHandler
    {
        public List<(string Id, CampaignAction Action)> Received { get; } = [];

        public Task HandleAsync(CampaignAction action, string actionId, CancellationToken cancellationToken)
        {
            Received.Add((actionId, action));
            return fail ? throw new InvalidOperationException("the group API is down") : Task.CompletedTask;
        }
    }

    private static DrawTemplate Weekly() => new()
    {
        Id = "weekly",
        DrawIdPattern = "weekly-{week}",
        OpensOn = DayOfWeek.Monday,
        ClosesOn = DayOfWeek.Sunday,
        ClosesAt = new TimeOnly(20, 0),
        Entropy = DrawEntropy.None,
        Prizes =
        [
            new DrawPrize("first", 1, new RewardSpec { Kind = RewardKind.Prize, Prize = "the newest lipstick" }),
            new DrawPrize("points", 2, new RewardSpec { Kind = RewardKind.Points, Quantity = 50 }),
        ],
    };

    private static RewardRuleSet CheckinTickets() => new()
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

    [Fact]
    public async Task ATick_RunsTheWeeklyDraw_FromCheckinTicketsToPublishedProof_AndEveryActionReachesEveryHandlerOnce_WithItsId()
    {
        var failing = new Announcer(fail: true);
        var announcer = new Announcer();
        var clock = new FakeTimeProvider(Local(1, 9));
        await using var rt = Runtime.Build(clock, builder: b => b
            .AddRewardRules(CheckinTickets())
            .AddDrawTemplates(Weekly())
            .AddCampaignActionHandler(failing)
            .AddCampaignActionHandler(announcer));
        for (var m = 0; m < 6; m++)
        {
            await rt.Intake.SubmitAsync(new CommunityEvent($"c{m}", EventType.Checkin, "g1", $"m{m}", Local(1, 10).AddMinutes(m), task: "daily"));
        }

        await rt.Scheduler.TickAsync(CancellationToken.None);
        var draws = rt.Provider.GetRequiredService<IDrawService>();
        Assert.Equal(DrawState.Open, (await draws.GetAsync("weekly-2026-11-30"))!.State); // created from the template on its first tickets
        Assert.Empty(announcer.Received);

        // A check-in just before the close whose ticket the campaign has not entered yet when the next tick comes: the
        // campaign enters it before it closes the draw.
        clock.SetUtcNow(Local(6, 19));
        await rt.Intake.SubmitAsync(new CommunityEvent("late", EventType.Checkin, "g1", "m-late", Local(6, 19), task: "daily"));
        clock.SetUtcNow(Local(6, 21)); // Sunday 21:00, an hour after the close
        await rt.Scheduler.TickAsync(CancellationToken.None);
        var proof = (await draws.GetAsync("weekly-2026-11-30"))!.Proof!;
        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.Equal(7, proof.Entries.Count);
        Assert.Contains(proof.Entries, e => e.Id == "m-late");

        var published = Assert.Single(announcer.Received, r => r.Action.Kind == CampaignActionKind.DrawPublished);
        Assert.Equal("17:weekly-2026-11-30|published|3", published.Id);
        var won = announcer.Received.Where(r => r.Action.Kind == CampaignActionKind.PrizeWon).ToList();
        Assert.Equal(proof.Winners.Select(w => w.Entry).Order(StringComparer.Ordinal), won.Select(r => r.Action.Member!).Order(StringComparer.Ordinal));
        var first = won.Single(r => r.Action.Tier == "first");
        Assert.Equal($"17:weekly-2026-11-30|won|5:first|0|{first.Action.Member!.Length}:{first.Action.Member}", first.Id);
        Assert.Equal(announcer.Received.Select(r => r.Id), failing.Received.Select(r => r.Id)); // the failing handler got each one too
        Assert.Equal(announcer.Received.Count, rt.Logs.Entries.Count(e => e.EventId.Id == 17014));
        var advanced = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17015 && (int)e.Fields["Drawn"]! == 1);
        Assert.Equal(3, advanced.Fields["PrizesGranted"]);

        // The next tick changes nothing and announces nothing again.
        clock.Advance(TimeSpan.FromMinutes(1));
        var before = announcer.Received.Count;
        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(before, announcer.Received.Count);
        Assert.Equal(3, (await rt.Provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None)).Count(e => e.RuleId == "weekly-2026-11-30"));
    }

    /// <summary>Fails each action's first delivery, then records it.</summary>
    private sealed class FlakyAnnouncer : ICampaignActionHandler
    {
        private readonly HashSet<string> _failedOnce = new(StringComparer.Ordinal);

        public List<(string Id, CampaignAction Action)> Delivered { get; } = [];

        public Task HandleAsync(CampaignAction action, string actionId, CancellationToken cancellationToken)
        {
            if (_failedOnce.Add(actionId))
            {
                throw new InvalidOperationException("the group API timed out");
            }

            Delivered.Add((actionId, action));
            return Task.CompletedTask;
        }
    }

    private static async Task<Runtime> WeeklyWithOutbox(FakeTimeProvider clock, ICampaignActionHandler handler, Action<CommunityFunnelBuilder>? more = null)
    {
        var rt = Runtime.Build(clock, outbox: true, builder: b =>
        {
            b.AddRewardRules(CheckinTickets()).AddDrawTemplates(Weekly()).AddCampaignActionHandler(handler);
            more?.Invoke(b);
        });
        for (var m = 0; m < 6; m++)
        {
            await rt.Intake.SubmitAsync(new CommunityEvent($"c{m}", EventType.Checkin, "g1", $"m{m}", Local(1, 10).AddMinutes(m), task: "daily"));
        }

        await rt.Scheduler.TickAsync(CancellationToken.None);
        return rt;
    }

    [Fact]
    public async Task WithTheOutbox_TheTickEnqueuesTheCampaignsActions_AndTheDispatcherDeliversEachOnce_AfterRetryingAFailedDelivery()
    {
        var clock = new FakeTimeProvider(Local(1, 9));
        var announcer = new FlakyAnnouncer();
        await using var rt = await WeeklyWithOutbox(clock, announcer);
        clock.SetUtcNow(Local(6, 21));
        await rt.Scheduler.TickAsync(CancellationToken.None);

        var entries = await rt.OutboxEntriesAsync<CampaignAction>();
        var proof = (await rt.Provider.GetRequiredService<IDrawService>().GetAsync("weekly-2026-11-30"))!.Proof!;
        Assert.Equal(1 + proof.Winners.Count, entries.Count); // the publication and one prize per winner
        Assert.All(entries, e => Assert.Equal(OutboxState.Pending, e.State));
        Assert.Contains(entries, e => e.Id == "17:weekly-2026-11-30|published|3" && ((CampaignAction)e.Action).Proof == proof);
        Assert.Empty(announcer.Delivered); // nothing is handed over on the scheduler's loop

        var dispatcher = rt.Provider.GetRequiredService<OutboxDispatcher>();
        await dispatcher.PollAsync(CancellationToken.None); // every first delivery fails
        Assert.Empty(announcer.Delivered);
        Assert.All(await rt.OutboxEntriesAsync<CampaignAction>(), e => Assert.Equal(1, e.Attempts));
        Assert.Equal(entries.Count, rt.Logs.Entries.Count(e => e.EventId.Id == 17009 && (string)e.Fields["Group"]! == "weekly-2026-11-30"));

        clock.Advance(TimeSpan.FromHours(1)); // past the backoff
        await dispatcher.PollAsync(CancellationToken.None);
        Assert.Equal(entries.Select(e => e.Id).Order(StringComparer.Ordinal), announcer.Delivered.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(await rt.OutboxEntriesAsync<CampaignAction>(), e => Assert.Equal(OutboxState.Delivered, e.State));

        // Later ticks decide nothing new and enqueue nothing again; nothing is delivered twice.
        clock.Advance(TimeSpan.FromMinutes(1));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        await dispatcher.PollAsync(CancellationToken.None);
        Assert.Equal(entries.Count, (await rt.OutboxEntriesAsync<CampaignAction>()).Count);
        Assert.Equal(entries.Count, announcer.Delivered.Count);
        Assert.DoesNotContain(rt.Logs.Entries, e => e.EventId.Id == 17016);
    }

    [Fact]
    public async Task AnInstanceThatFailsBetweenTheCampaignsStepAndTheOutbox_LosesNoAction_TheNextTickEnqueuesWhatTheDrawStandsFor()
    {
        var clock = new FakeTimeProvider(Local(1, 9));
        var announcer = new Announcer();
        BreakableOutbox? breakable = null;
        await using var rt = await WeeklyWithOutbox(clock, announcer, b =>
        {
            BreakableOutbox.Wrap(b, o => breakable = o);
        });
        clock.SetUtcNow(Local(6, 21));
        breakable!.Down = true;
        await rt.Scheduler.TickAsync(CancellationToken.None); // the draw is drawn and its prizes granted; the enqueue fails
        Assert.Contains("campaign", rt.Scheduler.LastTickFailures);
        var draw = (await rt.Provider.GetRequiredService<IDrawService>().GetAsync("weekly-2026-11-30"))!;
        Assert.Equal(DrawState.Drawn, draw.State);
        Assert.Empty(await rt.OutboxEntriesAsync<CampaignAction>());

        breakable.Down = false;
        clock.Advance(TimeSpan.FromMinutes(1));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        var entries = await rt.OutboxEntriesAsync<CampaignAction>();
        Assert.Equal(1 + draw.Proof!.Winners.Count, entries.Count);
        Assert.Equal(entries.Count, Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17016).Fields["Actions"]);
        var won = entries.Select(e => (CampaignAction)e.Action).Where(a => a.Kind == CampaignActionKind.PrizeWon).ToList();
        Assert.Equal(draw.Proof.Winners.Select(w => w.Entry!).Order(StringComparer.Ordinal), won.Select(a => a.Member!).Order(StringComparer.Ordinal));
        Assert.All(won, a => Assert.NotNull(a.GrantKey)); // the prizes were granted in the failed tick, once
        Assert.Equal(3, (await rt.Provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None)).Count(e => e.RuleId == "weekly-2026-11-30"));

        // The catch-up ran once: the ids it added are not added again, and each action is delivered once.
        clock.Advance(TimeSpan.FromMinutes(1));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        await rt.Provider.GetRequiredService<OutboxDispatcher>().PollAsync(CancellationToken.None);
        Assert.Equal(entries.Count, (await rt.OutboxEntriesAsync<CampaignAction>()).Count);
        Assert.Equal(entries.Select(e => e.Id).Order(StringComparer.Ordinal), announcer.Received.Select(r => r.Id).Order(StringComparer.Ordinal));
    }
}
