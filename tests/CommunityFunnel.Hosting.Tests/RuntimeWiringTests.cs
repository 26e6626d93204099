using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

public sealed class RuntimeWiringTests
{
    [Fact]
    public async Task AddHostedRuntime_AHostsOwnEventLogStoreWins_WhetherRegisteredBeforeOrAfter_AndASecondCallIsHarmless()
    {
        var mine = new InMemoryEventLogStore();
        await using var before = Build(services: s => s.AddSingleton<IEventLogStore>(mine), builder: b => b.AddHostedRuntime());
        Assert.Same(mine, before.Log);
        Assert.Single(before.Provider.GetServices<IHostedService>().OfType<SchedulerHost>());

        await using var after = Build(builder: b => b.Services.AddSingleton<IEventLogStore>(mine));
        Assert.Same(mine, after.Log);
    }

    [Fact]
    public void AHostThatChoseNoEventLogStore_FailsAtStart_SayingWhatToAdd()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddHostedRuntime();
        services.RemoveAll<IEventLogStore>(); // the stores a host chose did not include one
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostedRuntimeOptions>>().Value);
        Assert.Contains("event log store", failure.Message, StringComparison.Ordinal);
        Assert.Contains("UseSqliteStores", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunSchedulerOff_StartsNoLoop_TheIntakeStillWorks()
    {
        await using var rt = Build(options: o => o.RunScheduler = false);
        var hosted = Assert.Single(rt.Provider.GetServices<IHostedService>().OfType<SchedulerHost>());
        await hosted.StartAsync(CancellationToken.None);
        Assert.Null(rt.Scheduler.ExecuteTask);
        await hosted.StopAsync(CancellationToken.None);
        Assert.Equal(EventIntakeOutcome.Applied, (await rt.Intake.SubmitAsync(Joined("e1", "m1", T0))).Outcome);
    }

    [Fact]
    public async Task Tick_AdvancesTheListedDraws_ClosesWhenDue_DrawsOnceEntropyIsIn_AndLogsEach()
    {
        await using var rt = Build(options: o => o.Draws.Add("weekly"));
        var draws = rt.Provider.GetRequiredService<IDrawService>();
        await draws.CreateAsync(new DrawDefinition("weekly", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(T0.AddHours(1)) });
        await draws.OpenAsync("weekly");
        foreach (var entry in new[] { "m1", "m2", "m3" })
        {
            await draws.EnterAsync("weekly", entry);
        }

        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(DrawState.Open, (await draws.GetAsync("weekly"))!.State);

        rt.Clock.Advance(TimeSpan.FromHours(1));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(DrawState.Closed, (await draws.GetAsync("weekly"))!.State);
        var closed = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17005);
        Assert.Equal("weekly", closed.Fields["DrawId"]);
        Assert.Equal(3, closed.Fields["EntryCount"]);

        await draws.SupplyEntropyAsync("weekly", new byte[] { 1, 2, 3, 4 });
        await rt.Scheduler.TickAsync(CancellationToken.None);
        await rt.Scheduler.TickAsync(CancellationToken.None); // drawn: skipped
        Assert.Equal(DrawState.Drawn, (await draws.GetAsync("weekly"))!.State);
        var drawn = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17006);
        Assert.Equal(1, drawn.Fields["WinnerCount"]);
        Assert.DoesNotContain(rt.Logs.Entries, e => e.EventId.Id == 17007);
    }

    [Fact]
    public async Task Tick_AdvancesEveryDueDraw_FromTheDrawStoresIndex_WithoutListingIt_AndADrawListedTwiceOnce()
    {
        await using var rt = Build(options: o => o.Draws.Add("listed"));
        var draws = rt.Provider.GetRequiredService<IDrawService>();
        foreach (var (id, closes) in new[] { ("listed", T0.AddHours(1)), ("unlisted", T0.AddHours(2)), ("later", T0.AddDays(1)) })
        {
            await draws.CreateAsync(new DrawDefinition(id, [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(closes) });
            await draws.OpenAsync(id);
            await draws.EnterAsync(id, "m1");
        }

        rt.Clock.Advance(TimeSpan.FromHours(2));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(DrawState.Closed, (await draws.GetAsync("listed"))!.State);
        Assert.Equal(DrawState.Closed, (await draws.GetAsync("unlisted"))!.State); // found by the index
        Assert.Equal(DrawState.Open, (await draws.GetAsync("later"))!.State);
        Assert.Equal(["listed", "unlisted"], rt.Logs.Entries.Where(e => e.EventId.Id == 17005).Select(e => (string)e.Fields["DrawId"]!));
        Assert.DoesNotContain(rt.Logs.Entries, e => e.EventId.Id == 17007);
    }

    [Fact]
    public async Task Submit_AGrantRefusedByTheBudget_IsLoggedAndCounted()
    {
        var rules = new RewardRuleSet
        {
            Budgets = [new RewardBudget { Id = "b", Limit = 2 }],
            Rules =
            [
                new RewardRule
                {
                    Id = "checkin",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.Checkin },
                    Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1, Cost = 1 }],
                    Budget = "b",
                },
            ],
        };
        await using var rt = Build(builder: b => b.AddRewardRules(rules));
        using var recorder = new ObservabilityTests.Recorder(rt.Provider.GetRequiredService<HostingMetrics>().Meter);
        var grants = 0;
        for (var i = 0; i < 3; i++)
        {
            await rt.Intake.SubmitAsync(Joined($"j{i}", $"m{i}", T0));
            grants += (await rt.Intake.SubmitAsync(new CommunityEvent($"c{i}", EventType.Checkin, "g1", $"m{i}", T0.AddMinutes(10), task: "daily"))).Grants;
        }

        Assert.Equal(2, grants);
        var refused = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17004);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Equal("c2", refused.Fields["EventId"]);
        Assert.Equal(1L, refused.Fields["RefusedCount"]);
        Assert.Equal(2, rt.Logs.Entries.Where(e => e.EventId.Id == 17001).Sum(e => (int)e.Fields["GrantCount"]!));
        Assert.Equal(2, recorder.Sum("communityfunnel.rewards.grants"));
        recorder.Observe();
        Assert.Equal(1, recorder.Sum("communityfunnel.rewards.refusals", "reason", "budget"));
        Assert.Equal(0, recorder.Sum("communityfunnel.rewards.refusals", "reason", "limit"));
    }
}
