using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The contract of the members' due-time index: due members found by the index, one owner per claim, a save re-indexes and releases.</summary>
public abstract partial class StoreConformanceTests
{
    private IMemberDeadlineIndex Index => (IMemberDeadlineIndex)Members;

    private static MemberRecord Due(string member, long version, DateTimeOffset? due, string group = "g1") =>
        Member(member, version, MemberState.Onboarding, group) with { NextDeadline = due };

    private static string[] Keys(IEnumerable<MemberRecord> records) => records.Select(r => r.Group + "/" + r.Member).ToArray();

    /// <summary>A second lifecycle on the same member store: another provider on the database, or one sharing the in-memory store.</summary>
    private IServiceProvider SecondInstance(Action<CommunityFunnelBuilder> configure)
    {
        var store = Members;
        return NewProvider((_, b) =>
        {
            if (!Durable)
            {
                b.UseMemberStore(store);
            }

            configure(b);
        });
    }

    [StoreFact]
    public async Task DueIndex_ClaimsTheDueEarliestFirst_OneOwnerUntilTheLeaseRunsOut_AndASaveReindexesAndReleases()
    {
        var ct = CancellationToken.None;
        var shanghai = TimeSpan.FromHours(8);
        MemberRecord[] saved =
        [
            Due("m0", 1, T0),
            Due("m1", 1, T0.AddHours(1).ToOffset(shanghai)), // the offset is kept, the order is by instant
            Due("m1", 1, T0.AddHours(1), group: "g2"),
            Due("m2", 1, T0.AddHours(2)),
            Due("m3", 1, T0.AddHours(3)),
            Due("m4", 1, null),
        ];
        foreach (var r in saved)
        {
            await Members.SaveAsync(r, 0, [], ct);
        }

        var now = T0.AddHours(2);
        var b = (IMemberDeadlineIndex)OtherHost().GetRequiredService<IMemberStore>();
        var a = await Index.ClaimDueAsync("A", now, now.AddMinutes(1), 2, ct);
        Assert.Equal(["g1/m0", "g1/m1"], Keys(a));
        Assert.Equal((1L, MemberState.Onboarding, saved[1].NextDeadline, TimeSpan.FromHours(8)), (a[1].Version, a[1].State, a[1].NextDeadline, a[1].NextDeadline!.Value.Offset)); // the record as saved
        Assert.Equal(["g2/m1", "g1/m2"], Keys(await b.ClaimDueAsync("B", now, now.AddMinutes(5), 10, ct))); // m3 is not due, m4 has none
        Assert.Empty(await b.ClaimDueAsync("B", now, now.AddMinutes(5), 10, ct));

        // A saves m0 with a later deadline: re-indexed and released (nothing due for anyone).
        await Members.SaveAsync(Due("m0", 2, T0.AddHours(10)), 1, [], ct);
        Assert.Empty(await b.ClaimDueAsync("B", now, now.AddMinutes(5), 10, ct));

        // A dies holding g1/m1: when its lease has run out, B takes it; B's own leases still run.
        var later = now.AddMinutes(1);
        Assert.Equal(["g1/m1"], Keys(await b.ClaimDueAsync("B", later, later.AddMinutes(5), 10, ct)));

        // A release by an owner that no longer holds the claim changes nothing; B's release makes its claims due at once.
        await Index.ReleaseAsync("A", a, ct);
        Assert.Empty(await Index.ClaimDueAsync("C", later, later.AddMinutes(1), 10, ct));
        await b.ReleaseAsync("B", [saved[2], saved[3]], ct);
        Assert.Equal(["g2/m1", "g1/m2"], Keys(await Index.ClaimDueAsync("C", later, later.AddMinutes(1), 10, ct)));

        // Past every deadline and lease: all of them, earliest first, m0 at its new time last.
        var end = T0.AddHours(11);
        Assert.Equal(["g1/m1", "g2/m1", "g1/m2", "g1/m3", "g1/m0"], Keys(await Index.ClaimDueAsync("D", end, end.AddMinutes(1), 10, ct)));

        // A deadline removed by a save leaves the index.
        await Members.SaveAsync(Due("m3", 2, null), 1, [], ct);
        var last = end.AddMinutes(2);
        Assert.DoesNotContain("g1/m3", Keys(await Index.ClaimDueAsync("E", last, last.AddMinutes(1), 10, ct)));

        await Assert.ThrowsAsync<ArgumentException>(() => Index.ClaimDueAsync("A", now, now, 1, ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Index.ClaimDueAsync("A", now, now.AddSeconds(1), 0, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Index.ClaimDueAsync("", now, now.AddSeconds(1), 1, ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Index.ReleaseAsync("A", null!, ct));
    }

    [StoreFact]
    public async Task DueIndex_TwoOwnersClaimingAtOnce_NeverGetTheSameMember_AndTogetherGetEveryOne()
    {
        var ct = CancellationToken.None;
        const int count = 120;
        for (var i = 0; i < count; i++)
        {
            await Members.SaveAsync(Due($"m{i:D3}", 1, T0.AddSeconds(i % 17)), 0, [], ct);
        }

        var now = T0.AddMinutes(1);
        IMemberDeadlineIndex[] owners = [Index, (IMemberDeadlineIndex)OtherHost().GetRequiredService<IMemberStore>()];
        var claims = await Task.WhenAll(owners.Select((index, o) => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await index.ClaimDueAsync("owner" + o, now, now.AddMinutes(1), 7, ct) is { Count: > 0 } batch)
            {
                mine.AddRange(Keys(batch));
            }

            return mine;
        })));

        Assert.Empty(claims[0].Intersect(claims[1]));
        Assert.Equal(count, claims[0].Concat(claims[1]).Distinct().Count());
        Assert.Equal(count, claims[0].Count + claims[1].Count);
    }

    [StoreFact]
    public async Task Lifecycle_TwoInstancesAdvancingAtOnce_FireEveryDeadlineOnce_AndADeadInstancesClaimsAreTakenOverAfterItsLease()
    {
        var ct = CancellationToken.None;
        var policy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" };
        void Configure(CommunityFunnelBuilder b) => b.ConfigureLifecycle(o =>
        {
            o.DefaultPolicy = policy;
            o.DeadlineLeaseTime = TimeSpan.FromMinutes(2);
        });

        var first = SecondInstance(Configure).GetRequiredService<IMemberLifecycle>();
        var second = SecondInstance(Configure).GetRequiredService<IMemberLifecycle>();
        const int count = 60;
        for (var i = 0; i < count; i++)
        {
            // Joined through the first instance only: the second knows the deadlines from the store's index alone.
            await first.ApplyAsync(new CommunityEvent($"j{i}", EventType.Joined, "g1", $"m{i:D2}", T0.AddMinutes(i), channel: "poster"), ct);
        }

        // Someone (a third instance) claims m00..m04 and dies.
        var at = T0.AddHours(25);
        var dead = await Index.ClaimDueAsync("dead", at, at.AddMinutes(2), 5, ct);
        Assert.Equal(5, dead.Count);

        var fired = await Task.WhenAll(Task.Run(() => first.AdvanceToAsync(at, ct)), Task.Run(() => second.AdvanceToAsync(at, ct)));
        var reminders = fired.SelectMany(f => f).Where(a => a.Kind == MemberActionKind.Reminder).Select(a => a.Member).ToList();
        Assert.Equal(count - 5, reminders.Count);
        Assert.Equal(count - 5, reminders.Distinct().Count());
        Assert.DoesNotContain("m00", reminders);

        // Once the dead owner's lease has run out, one of them fires the five, in deadline order.
        Assert.Empty(await second.AdvanceToAsync(at.AddMinutes(1), ct));
        var takenOver = await second.AdvanceToAsync(at.AddMinutes(2), ct);
        Assert.Equal(["m00", "m01", "m02", "m03", "m04"], takenOver.Where(a => a.Kind == MemberActionKind.Reminder).Select(a => a.Member));
        Assert.Empty(await first.AdvanceToAsync(at.AddMinutes(2), ct));
        for (var i = 0; i < count; i++)
        {
            var record = (await Members.FindAsync("g1", $"m{i:D2}", ct))!;
            Assert.Equal((MemberState.AtRisk, 2L), (record.State, record.Version));
        }
    }
}

/// <summary>Migration 8 on a database that has members: their deadlines are indexed from the stored records, never early.</summary>
public abstract partial class SqlStoreConformanceTests
{
    [StoreFact]
    public async Task AVersion7Database_IsUpgraded_AndItsMembersDeadlinesAreIndexed_NeverEarly_AtMostTwoMillisecondsLate()
    {
        var ct = CancellationToken.None;
        var exact = T0.AddTicks(1_234_567).ToOffset(TimeSpan.FromHours(8)); // a fraction finer than a millisecond, another offset
        await Members.SaveAsync(Member("m1", 1) with { NextDeadline = exact }, 0, [], ct);
        await Members.SaveAsync(Member("m2", 1) with { NextDeadline = T0.AddDays(3) }, 0, [], ct);
        await Members.SaveAsync(Member("m3", 1), 0, [], ct);
        UndoMigration8();
        Restart();

        var index = (IMemberDeadlineIndex)Members;
        var justBefore = exact.AddTicks(-1);
        Assert.Empty(await index.ClaimDueAsync("A", justBefore, justBefore.AddMinutes(1), 10, ct));
        var late = exact.AddMilliseconds(2);
        var claimed = Assert.Single(await index.ClaimDueAsync("A", late, late.AddMinutes(1), 10, ct));
        Assert.Equal(("m1", exact), (claimed.Member, claimed.NextDeadline!.Value));
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        var end = T0.AddDays(4);
        Assert.Equal(["m1", "m2"], (await index.ClaimDueAsync("B", end, end.AddMinutes(1), 10, ct)).Select(r => r.Member)); // A's lease ran out
    }
}
