using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>The scheduler runs the recurring draws on its tick and hands their actions, with deterministic ids, to the campaign handlers.</summary>
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
}
