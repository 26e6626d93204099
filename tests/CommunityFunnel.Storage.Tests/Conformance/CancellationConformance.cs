using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Every call of the member store, the ledger and the directory honours a cancelled token: it throws and writes nothing.</summary>
    [StoreFact]
    public async Task EveryStoreCall_WithACancelledToken_Throws_AndWritesNothing()
    {
        var directory = Host.GetRequiredService<IMemberDirectory>();
        await Members.SaveAsync(Member("m1", 1), 0, [], CancellationToken.None);
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        var cancelled = source.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.FindAsync("g1", "m1", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.ListGroupAsync("g1", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.GetAuditTrailAsync("g1", "m1", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.SaveAsync(Member("m1", 2, MemberState.Left), 1, [Transition("m1", "x")], cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.SaveAsync(Member("m2", 1), 0, [], cancelled));

        var grant = Grant("k", "m1", 2, 10);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.TryAppendAsync(grant, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.GetCounterAsync("budget|b", cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.GetEntriesAsync(cancelled));
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(grant with { Key = "k2" }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.TryReverseAsync("k2", T0, "rejected", cancelled));

        var joined = new CommunityEvent("j1", EventType.Joined, "g1", "m3", T0, channel: "poster");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => directory.ObserveAsync(joined, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => directory.FindAsync("m3", cancelled));

        var other = OtherHost();
        var members = other.GetRequiredService<IMemberStore>();
        Assert.Equal(MemberState.Active, (await members.FindAsync("g1", "m1", CancellationToken.None))!.State);
        Assert.Null(await members.FindAsync("g1", "m2", CancellationToken.None));
        Assert.Empty(await members.GetAuditTrailAsync("g1", "m1", CancellationToken.None));
        var entries = await other.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None);
        Assert.Equal(["k2"], entries.Select(e => e.Key));
        Assert.Equal(2, await other.GetRequiredService<IRewardLedger>().GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Null(await other.GetRequiredService<IMemberDirectory>().FindAsync("m3", CancellationToken.None));
    }
}
