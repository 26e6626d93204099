using System.Text.Json.Nodes;
using CommunityFunnel.Lottery;
using CommunityFunnel.SampleHost.Tests.TestSupport;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.SampleHost.Tests;

/// <summary>
/// A campaign draw left half way through its close, as an instance killed at that moment leaves it (found by
/// <see cref="CampaignCrashTests"/>): stored <c>EntropySupplied</c> (killed between the entropy write and the draw) or
/// <c>Closed</c> without its entries root (killed between the two writes of the close). Made here on purpose, in-process
/// on a fake clock, through the library's own services; the scheduler's next ticks finish it.
/// </summary>
public sealed class CampaignInterruptedCloseTests
{
    private const string DrawId = "weekly-2026-11-30";
    private static readonly DateTimeOffset BeforeClose = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterClose = new(2026, 12, 6, 13, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Interruptions => new() { "EntropySupplied", "ClosedWithoutRoot" };

    [Theory]
    [MemberData(nameof(Interruptions))]
    public async Task The_scheduler_finishes_a_campaign_draw_whose_close_was_interrupted_and_grants_every_prize_once(string interruption)
    {
        using var folder = new CampaignLoopTests.TempFolder();
        using var store = TestStore.Sqlite();
        var fake = new FakeTimeProvider(BeforeClose);
        var clock = new SchedulerClock(fake, TimeSpan.FromHours(1));
        await using var host = await StartAsync(store, fake, clock, folder);
        await InterruptAsync(host, clock, interruption);

        await clock.TickAtAsync(AfterClose);
        await clock.TickAtAsync(AfterClose.AddHours(1));
        var record = (await host.Services.GetRequiredService<IDrawService>().GetAsync(DrawId))!;
        Assert.Equal(DrawState.Drawn, record.State);
        Assert.True(FairDraw.Verify(record.Proof!).IsValid);
        var ledger = await CampaignLoopTests.LedgerAsync(host.Http);
        var prizes = ledger.Where(l => l.Kind == "Grant" && l.Source == DrawId).ToList();
        var current = CampaignLoopTests.CurrentWinners(record.Proof!);
        Assert.Equal(current.Count, prizes.Count);
        Assert.Equal(prizes.Count, prizes.Select(p => p.Key).Distinct().Count());
        foreach (var ((tier, slot), (member, replacement)) in current)
        {
            Assert.Equal(member, Assert.Single(prizes, p => p.Key == CampaignLoopTests.PrizeKey(DrawId, tier, slot, replacement)).Member);
        }

        var entries = JsonNode.Parse(await host.Http.GetStringAsync($"draws/{DrawId}/entries"))!.AsArray()
            .Select(e => ((string)e!["entry"]!, (long)e["tickets"]!)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(CampaignLoopTests.NetTickets(ledger, DrawId), entries);
    }

    private static Task<RunningHost> StartAsync(TestStore store, FakeTimeProvider fake, SchedulerClock clock, CampaignLoopTests.TempFolder folder) =>
        RunningHost.StartAsync(store, fake, clock,
            "--CommunityFunnel:Runtime:RunScheduler=true",
            "--CommunityFunnel:Runtime:SchedulerPeriod=01:00:00",
            "--CommunityFunnel:Lottery:FixedEntropy=00112233",
            "--CommunityFunnel:Campaign=" + CampaignCrashTests.WriteCampaign(folder.Path));

    /// <summary>Tickets for 300 members, the draw created and entered by a tick, then its close stopped half way.</summary>
    private static async Task InterruptAsync(RunningHost host, SchedulerClock clock, string interruption)
    {
        await clock.WaitsAtLeastAsync(1);
        await host.PostAllAsync([.. CampaignCrashTests.Checkins().Where(e => string.CompareOrdinal(e.Member, "m-00300") < 0)]);
        await clock.TickAtAsync(BeforeClose.AddHours(1));
        var draws = host.Services.GetRequiredService<IDrawService>();
        var open = (await draws.GetAsync(DrawId))!;
        Assert.Equal(DrawState.Open, open.State);
        Assert.Equal(300, (await host.Services.GetRequiredService<IDrawStore>().GetEntriesAsync(DrawId, default)).Count);
        if (interruption == "EntropySupplied")
        {
            await draws.CloseAsync(DrawId);
            await draws.SupplyEntropyAsync(DrawId, new byte[] { 0, 0x11, 0x22, 0x33 });
            Assert.Equal(DrawState.EntropySupplied, (await draws.GetAsync(DrawId))!.State);
        }
        else
        {
            // The first of the close's two writes only: the state, not yet the root.
            var store = host.Services.GetRequiredService<IDrawStore>();
            Assert.True(await store.TryUpdateAsync(open with { State = DrawState.Closed, ClosedAt = clock.GetUtcNow(), Version = open.Version + 1 }, open.Version, default));
            Assert.Null((await draws.GetAsync(DrawId))!.EntriesRoot);
        }
    }
}
