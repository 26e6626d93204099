using CommunityFunnel.Events;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The event log's "not applied yet" mark: written with the append, listed by append time in event time order, cleared once applied.</summary>
public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public async Task EventLog_TheUnappliedMark_IsWrittenWithTheAppend_ListedInEventTimeOrder_AndClearedWhenApplied()
    {
        var ct = CancellationToken.None;
        var log = Host.GetRequiredService<IEventLogStore>();
        CommunityEvent E(string id, int minutes) => new(id, EventType.Message, "g1", "m1", T0.AddMinutes(minutes));
        Assert.True(await log.TryAppendAsync(E("late", 30), T0.AddSeconds(1), ct));
        Assert.True(await log.TryAppendAsync(E("early", 10), T0.AddSeconds(2), ct));
        Assert.True(await log.TryAppendAsync(E("plain", 5), ct)); // appended without a time: never marked
        Assert.True(await log.TryAppendAsync(E("fresh", 1), T0.AddSeconds(10), ct));
        Assert.False(await log.TryAppendAsync(E("late", 30), T0.AddSeconds(20), ct)); // a duplicate keeps the first mark

        var other = OtherHost().GetRequiredService<IEventLogStore>();
        Assert.Equal(["early", "late"], (await other.ListUnappliedAsync(T0.AddSeconds(10), 10, ct)).Select(e => e.Id)); // appended before 10 s, by event time
        Assert.Equal(["fresh", "early", "late"], (await other.ListUnappliedAsync(T0.AddMinutes(1), 10, ct)).Select(e => e.Id));
        Assert.Equal(["fresh"], (await other.ListUnappliedAsync(T0.AddMinutes(1), 1, ct)).Select(e => e.Id));
        Assert.Equal(E("early", 10), (await other.ListUnappliedAsync(T0.AddSeconds(3), 1, ct))[0]);

        await other.MarkAppliedAsync("early", ct);
        await other.MarkAppliedAsync("early", ct); // again: nothing happens
        await other.MarkAppliedAsync("never-stored", ct);
        Assert.Equal(["fresh", "late"], (await log.ListUnappliedAsync(T0.AddMinutes(1), 10, ct)).Select(e => e.Id));
        Assert.Equal(4, await CountAsync(log.ReadAsync(T0, T0.AddHours(1), ct))); // the log itself is unchanged

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ListUnappliedAsync(T0, 0, ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => log.MarkAppliedAsync(null!, ct));
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<CommunityEvent> events)
    {
        var n = 0;
        await foreach (var _ in events)
        {
            n++;
        }

        return n;
    }
}
