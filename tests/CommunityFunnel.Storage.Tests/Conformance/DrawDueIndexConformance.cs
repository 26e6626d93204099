using CommunityFunnel.Lottery;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The draws' due-time index: open draws past their scheduled close, earliest first, then closed ones not drawn yet.</summary>
public abstract partial class StoreConformanceTests
{
    private async Task CreateOpen(IDrawService lottery, string drawId, DrawSchedule schedule)
    {
        await lottery.CreateAsync(new DrawDefinition(drawId, [new PrizeTier("first", 1)]) { Schedule = schedule });
        await lottery.OpenAsync(drawId);
        await lottery.EnterAsync(drawId, "m1");
    }

    [StoreFact]
    public async Task DrawDueIndex_ListsOpenDrawsPastTheirClose_EarliestFirst_ThenClosedOnesNotDrawnYet()
    {
        var ct = CancellationToken.None;
        var lottery = Host.GetRequiredService<IDrawService>();
        await CreateOpen(lottery, "b-later", DrawSchedule.At(T0.AddHours(2)));
        await CreateOpen(lottery, "a-sooner", DrawSchedule.At(T0.AddHours(1).ToOffset(TimeSpan.FromHours(8))));
        await CreateOpen(lottery, "c-manual", DrawSchedule.Manual);
        await CreateOpen(lottery, "d-closed", DrawSchedule.Manual);
        await lottery.CloseAsync("d-closed");
        await CreateOpen(lottery, "e-drawn", DrawSchedule.At(T0.AddMinutes(30)));
        await lottery.CloseAsync("e-drawn");
        await lottery.SupplyEntropyAsync("e-drawn", new byte[] { 1 });
        await lottery.DrawAsync("e-drawn");
        await CreateOpen(lottery, "f-entropy", DrawSchedule.Manual);
        await lottery.CloseAsync("f-entropy");
        await lottery.SupplyEntropyAsync("f-entropy", new byte[] { 2 });

        var index = (IDrawDueIndex)OtherHost().GetRequiredService<IDrawStore>();
        Assert.Equal(["d-closed", "f-entropy"], await index.ListDueAsync(T0.AddMinutes(59), 10, ct)); // none open is due yet
        Assert.Equal(["a-sooner", "d-closed", "f-entropy"], await index.ListDueAsync(T0.AddHours(1), 10, ct)); // at its close exactly
        Assert.Equal(["a-sooner", "b-later", "d-closed", "f-entropy"], await index.ListDueAsync(T0.AddHours(3), 10, ct));
        Assert.Equal(["a-sooner", "b-later"], await index.ListDueAsync(T0.AddHours(3), 2, ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.ListDueAsync(T0, 0, ct));
    }
}

/// <summary>Migration 10 on a database with draws: their scheduled closes are indexed from the stored definitions.</summary>
public abstract partial class SqlStoreConformanceTests
{
    [StoreFact]
    public async Task AVersion9Database_IsUpgraded_AndItsDrawsScheduledClosesAreIndexed_NeverEarly()
    {
        var ct = CancellationToken.None;
        var lottery = Host.GetRequiredService<IDrawService>();
        var closes = T0.AddTicks(1_234_567);
        await lottery.CreateAsync(new DrawDefinition("old", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(closes) });
        await lottery.OpenAsync("old");
        UndoMigration10();
        Restart();

        var index = (IDrawDueIndex)Host.GetRequiredService<IDrawStore>();
        Assert.Empty(await index.ListDueAsync(closes.AddTicks(-1), 10, ct));
        Assert.Equal(["old"], await index.ListDueAsync(closes.AddMilliseconds(2), 10, ct));
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
    }
}
