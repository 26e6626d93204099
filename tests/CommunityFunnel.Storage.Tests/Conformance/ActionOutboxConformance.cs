using System.Text.Json;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The contract of the action outbox: written with the member's save, claimed under a lease by one owner, marked once.</summary>
public abstract partial class StoreConformanceTests
{
    private IActionOutbox Outbox => Host.GetRequiredService<IActionOutbox>();

    private static OutboxEntry Decided(string member, long version, int index, MemberActionKind kind = MemberActionKind.Welcome, DateTimeOffset? at = null) => new()
    {
        Id = MemberActionIds.For("g1", member, version, index),
        Action = new MemberAction(kind, "g1", member, T0, Rules: kind == MemberActionKind.Welcome ? "改昵称：城市-姓名-职业" : null, Deadline: kind == MemberActionKind.Reminder ? T0.AddDays(1) : null),
        DecidedAt = at ?? T0,
        NextAttemptAt = at ?? T0,
    };

    [StoreFact]
    public async Task Outbox_IsWrittenWithTheSave_AllOrNothing_AndEveryFieldRoundTrips()
    {
        var ct = CancellationToken.None;
        var welcome = Decided("m1", 1, 0);
        var reminder = Decided("m1", 1, 1, MemberActionKind.Reminder);
        await Members.SaveAsync(Member("m1", 1), 0, [Transition("m1", "e1", null)], [welcome, reminder], ct);

        // A save that loses the version race writes none of its actions.
        var other = OtherHost();
        await Assert.ThrowsAsync<MemberVersionConflictException>(() =>
            other.GetRequiredService<IMemberStore>().SaveAsync(Member("m1", 1), 0, [], [Decided("m1", 1, 5)], ct));
        // The same id again (a retried save of the same decision) is left as it is.
        await Members.SaveAsync(Member("m1", 2), 1, [], [welcome with { Action = (MemberAction)welcome.Action with { Rules = "changed" } }], ct);

        var outbox = other.GetRequiredService<IActionOutbox>();
        Assert.Null(await outbox.FindAsync(Decided("m1", 1, 5).Id, ct));
        Assert.Equal(welcome, await outbox.FindAsync(welcome.Id, ct));
        Assert.Equal(reminder, await outbox.FindAsync(reminder.Id, ct));
        Assert.Equal(new OutboxStatistics(2, 0, T0), await outbox.GetStatisticsAsync(ct));
        Assert.Equal([welcome.Id, reminder.Id], (await outbox.ListAsync(OutboxState.Pending, 10, ct)).Select(e => e.Id));
        Assert.Equal("3:1:m|2:m1|v7|2", MemberActionIds.For("1:m", "m1", 7, 2));
        Assert.NotEqual(MemberActionIds.For("a|1:b", "c", 1, 0), MemberActionIds.For("a", "b|1:c", 1, 0));
    }

    [StoreFact]
    public async Task Outbox_AClaimHasOneOwnerUntilItsLeaseRunsOut_ThenAnotherMayTakeIt_AndTheFirstCanNoLongerMarkIt()
    {
        var ct = CancellationToken.None;
        var entries = Enumerable.Range(0, 5).Select(i => Decided("m" + i, 1, 0, at: T0.AddSeconds(i))).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            await Members.SaveAsync(Member("m" + i, 1), 0, [], [entries[i]], ct);
        }

        var b = OtherHost().GetRequiredService<IActionOutbox>();
        Assert.Equal([entries[0].Id, entries[1].Id], (await Outbox.ClaimAsync("A", T0.AddSeconds(3), T0.AddMinutes(1), 2, ct)).Select(e => e.Id)); // oldest first, at most 2
        Assert.Equal([entries[2].Id, entries[3].Id], (await b.ClaimAsync("B", T0.AddSeconds(3), T0.AddMinutes(5), 10, ct)).Select(e => e.Id)); // m4 is not due yet
        Assert.Empty(await b.ClaimAsync("B", T0.AddSeconds(3), T0.AddMinutes(5), 10, ct));

        Assert.True(await Outbox.MarkDeliveredAsync(entries[0].Id, "A", T0.AddSeconds(10), ct));
        Assert.False(await b.MarkDeliveredAsync(entries[1].Id, "B", T0.AddSeconds(10), ct)); // not B's
        Assert.False(await Outbox.MarkDeliveredAsync(entries[0].Id, "A", T0.AddSeconds(11), ct)); // once

        // A dies holding entries[1]: after its lease B takes it over, and A's late mark is refused.
        var taken = await b.ClaimAsync("B", T0.AddMinutes(1), T0.AddMinutes(2), 10, ct);
        Assert.Equal([entries[1].Id, entries[4].Id], taken.Select(e => e.Id));
        Assert.False(await Outbox.MarkDeliveredAsync(entries[1].Id, "A", T0.AddMinutes(1), ct));
        Assert.True(await b.MarkDeliveredAsync(entries[1].Id, "B", T0.AddMinutes(1).AddSeconds(1), ct));

        var delivered = (await b.FindAsync(entries[0].Id, ct))!;
        Assert.Equal((OutboxState.Delivered, (DateTimeOffset?)T0.AddSeconds(10), 0), (delivered.State, delivered.CompletedAt, delivered.Attempts));
        Assert.Equal(3, (await b.GetStatisticsAsync(ct)).Pending);
        await Assert.ThrowsAsync<ArgumentException>(() => b.ClaimAsync("B", T0, T0, 1, ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => b.ClaimAsync("B", T0, T0.AddSeconds(1), 0, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => b.ClaimAsync("", T0, T0.AddSeconds(1), 1, ct));
    }

    [StoreFact]
    public async Task Outbox_AFailureIsRetriedAtItsTime_AndTheLastOneMakesADeadLetter()
    {
        var ct = CancellationToken.None;
        var entry = Decided("m1", 1, 0);
        await Members.SaveAsync(Member("m1", 1), 0, [], [entry], ct);
        Assert.Single(await Outbox.ClaimAsync("A", T0, T0.AddMinutes(1), 10, ct));
        Assert.True(await Outbox.MarkFailedAsync(entry.Id, "A", T0.AddSeconds(1), "HttpRequestException: 502", T0.AddSeconds(6), ct));
        var failed = (await Outbox.FindAsync(entry.Id, ct))!;
        Assert.Equal((OutboxState.Pending, 1, "HttpRequestException: 502", T0.AddSeconds(6), (DateTimeOffset?)null), (failed.State, failed.Attempts, failed.LastError, failed.NextAttemptAt, failed.CompletedAt));

        Assert.Empty(await Outbox.ClaimAsync("B", T0.AddSeconds(5), T0.AddMinutes(1), 10, ct)); // the lease was released, but it is not due yet
        Assert.Single(await Outbox.ClaimAsync("B", T0.AddSeconds(6), T0.AddMinutes(1), 10, ct));
        Assert.True(await Outbox.MarkFailedAsync(entry.Id, "B", T0.AddSeconds(7), "still 502", null, ct));
        var dead = (await OtherHost().GetRequiredService<IActionOutbox>().FindAsync(entry.Id, ct))!;
        Assert.Equal((OutboxState.Dead, 2, (DateTimeOffset?)T0.AddSeconds(7)), (dead.State, dead.Attempts, dead.CompletedAt));
        Assert.Empty(await Outbox.ClaimAsync("B", T0.AddDays(1), T0.AddDays(2), 10, ct));
        Assert.Equal(new OutboxStatistics(0, 1, null), await Outbox.GetStatisticsAsync(ct));
        Assert.Equal([entry.Id], (await Outbox.ListAsync(OutboxState.Dead, 10, ct)).Select(e => e.Id));
        Assert.False(await Outbox.MarkFailedAsync(entry.Id, "B", T0.AddSeconds(8), "again", T0.AddSeconds(9), ct));
    }

    [StoreFact]
    public async Task Outbox_TwoHostsClaimingConcurrently_NeverClaimOneEntryTwice()
    {
        var ct = CancellationToken.None;
        const int Count = 120;
        for (var i = 0; i < Count; i++)
        {
            await Members.SaveAsync(Member("m" + i, 1), 0, [], [Decided("m" + i, 1, 0)], ct);
        }

        IActionOutbox[] hosts = [Outbox, OtherHost().GetRequiredService<IActionOutbox>()];
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (w, _) =>
        {
            while (true)
            {
                var batch = await hosts[w % 2].ClaimAsync("owner-" + w, T0, T0.AddMinutes(5), 7, ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var e in batch)
                {
                    claimed.Add(e.Id);
                    Assert.True(await hosts[w % 2].MarkDeliveredAsync(e.Id, "owner-" + w, T0, ct));
                }
            }
        });
        Assert.Equal(Count, claimed.Count);
        Assert.Equal(Count, claimed.Distinct().Count());
        Assert.Equal(new OutboxStatistics(0, 0, null), await Outbox.GetStatisticsAsync(ct));
    }

    [StoreFact]
    public async Task Outbox_EveryCall_WithACancelledToken_Throws()
    {
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        var c = source.Token;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Members.SaveAsync(Member("m1", 1), 0, [], [Decided("m1", 1, 0)], c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.ClaimAsync("A", T0, T0.AddMinutes(1), 1, c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.MarkDeliveredAsync("x", "A", T0, c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.MarkFailedAsync("x", "A", T0, "e", null, c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.FindAsync("x", c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.ListAsync(OutboxState.Dead, 1, c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.GetStatisticsAsync(c));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.EnqueueAsync([Decided("m1", 1, 0)], c));
        Assert.Null(await Outbox.FindAsync(Decided("m1", 1, 0).Id, CancellationToken.None));
    }

    /// <summary>A drawn weekly draw's publication and its first prize, as the campaign decides them.</summary>
    internal static (CampaignAction Published, CampaignAction Won) CampaignActions()
    {
        var proof = FairDraw.Run(new DrawInput(
            "weekly-2026-11-30", [new PrizeTier("first", 1)], [new DrawEntry("m1", 2), new DrawEntry("m2", 1), new DrawEntry("m3", 1)], new byte[32], new byte[] { 1, 2 }));
        var published = new CampaignAction { Kind = CampaignActionKind.DrawPublished, DrawId = "weekly-2026-11-30", At = T0.AddMinutes(1), Proof = proof };
        var won = new CampaignAction
        {
            Kind = CampaignActionKind.PrizeWon,
            DrawId = "weekly-2026-11-30",
            At = T0.AddMinutes(2),
            Member = proof.Winners[0].Entry,
            Tier = "first",
            Slot = 0,
            Reward = new RewardSpec { Kind = RewardKind.Prize, Prize = "最新款的口红" },
            GrantKey = "draw|17:weekly-2026-11-30|5:first|0|0",
            ClaimBy = new DateTimeOffset(2026, 12, 9, 20, 0, 0, TimeSpan.FromHours(8)),
        };
        return (published, won);
    }

    private static OutboxEntry Enqueued(string id, CampaignAction a) => new() { Id = id, Action = a, DecidedAt = a.At, NextAttemptAt = a.At };

    [StoreFact]
    public async Task Outbox_EnqueuedCampaignActions_RoundTripWithTheirProof_BesideMemberActions_AndAnIdAlreadyThereIsLeftAsItIs()
    {
        var ct = CancellationToken.None;
        var (published, won) = CampaignActions();
        var welcome = Decided("m1", 1, 0);
        await Members.SaveAsync(Member("m1", 1), 0, [Transition("m1", "e1", null)], [welcome], ct);

        Assert.Equal(2, await Outbox.EnqueueAsync([Enqueued("p", published), Enqueued("w", won)], ct));
        // Enqueued again (a catch-up, a second instance): the ids are there, the first decision stays.
        Assert.Equal(0, await Outbox.EnqueueAsync([Enqueued("p", published with { At = T0.AddDays(1) }), Enqueued("w", won)], ct));
        Assert.Equal(0, await Outbox.EnqueueAsync([], ct));

        var claimed = await OtherHost().GetRequiredService<IActionOutbox>().ClaimAsync("A", T0.AddHours(1), T0.AddHours(2), 10, ct);
        Assert.Equal([welcome.Id, "p", "w"], claimed.Select(e => e.Id)); // oldest first, whatever wrote them
        Assert.Equal(welcome.Action, claimed[0].Action);
        Assert.Equal(JsonSerializer.Serialize(published), JsonSerializer.Serialize((CampaignAction)claimed[1].Action));
        Assert.Equal(JsonSerializer.Serialize(won), JsonSerializer.Serialize((CampaignAction)claimed[2].Action));
        Assert.True(FairDraw.Verify(((CampaignAction)claimed[1].Action).Proof!).IsValid);
        Assert.Equal(published.At, claimed[1].DecidedAt);

        var notice = new RewardGranted("g1", new RewardLedgerEntry
        {
            Key = "checkin|2:m1|d:2026-12-01",
            Kind = RewardEntryKind.Grant,
            RuleId = "checkin",
            Member = "m1",
            At = T0,
            EventId = "e1",
            Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = "weekly-2026-11-30" }],
            Counters = [new RewardCounter("budget|b", 100, 3, true)],
        });
        Assert.Equal(1, await Outbox.EnqueueAsync([new OutboxEntry { Id = "n", Action = notice, DecidedAt = T0.AddMinutes(3), NextAttemptAt = T0.AddMinutes(3) }], ct));
        var found = (RewardGranted)(await Outbox.FindAsync("n", ct))!.Action;
        Assert.Equal(JsonSerializer.Serialize(notice), JsonSerializer.Serialize(found));

        Assert.True(await Outbox.MarkDeliveredAsync("p", "A", T0.AddHours(1), ct));
        Assert.Equal(0, await Outbox.EnqueueAsync([Enqueued("p", published)], ct)); // delivered: not queued again
        Assert.Equal(OutboxState.Delivered, (await Outbox.FindAsync("p", ct))!.State);
        Assert.Equal(new OutboxStatistics(3, 0, T0), await Outbox.GetStatisticsAsync(ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Outbox.EnqueueAsync([Enqueued("", won)], ct));
    }

    [StoreFact]
    public async Task Outbox_ABatchOfDeliveredMarks_TakesEachOwnedPendingEntry_AndRefusesTheOthers_InOrder()
    {
        var ct = CancellationToken.None;
        var entries = new[] { Decided("m1", 1, 0), Decided("m1", 1, 1, MemberActionKind.Reminder), Decided("m1", 1, 2, MemberActionKind.Removal) };
        await Members.SaveAsync(Member("m1", 1), 0, [Transition("m1", "e1", null)], entries, ct);
        Assert.Equal(3, (await Outbox.ClaimAsync("A", T0, T0.AddMinutes(1), 10, ct)).Count);

        Assert.Equal([false, false], await Outbox.MarkDeliveredAsync([entries[0].Id, entries[1].Id], "B", T0, ct)); // not B's
        Assert.Equal([true, false, true], await Outbox.MarkDeliveredAsync([entries[0].Id, "no such id", entries[2].Id], "A", T0.AddSeconds(5), ct));
        Assert.Equal([false], await Outbox.MarkDeliveredAsync([entries[0].Id], "A", T0.AddSeconds(6), ct)); // delivered already
        Assert.Empty(await Outbox.MarkDeliveredAsync([], "A", T0, ct));

        Assert.Equal(T0.AddSeconds(5), (await Outbox.FindAsync(entries[2].Id, ct))!.CompletedAt);
        Assert.Equal(OutboxState.Pending, (await Outbox.FindAsync(entries[1].Id, ct))!.State);
        Assert.Equal(new OutboxStatistics(1, 0, T0), await Outbox.GetStatisticsAsync(ct));
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Outbox.MarkDeliveredAsync([entries[1].Id], "A", T0, source.Token));
    }
}
