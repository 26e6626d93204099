using System.Data.Common;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>What the SQL stores add to the contract: migrations, restarts, and invariants the database itself enforces.</summary>
public abstract partial class SqlStoreConformanceTests : StoreConformanceTests
{
    protected override bool Durable => true;

    /// <summary>The package's batched grants (SqliteBatch / PostgreSqlBatch).</summary>
    protected abstract Task<IReadOnlyList<RewardAppendResult>> AppendAll(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants);

    /// <summary>The package's batched member saves.</summary>
    protected abstract Task<IReadOnlyList<bool>> SaveAll(IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves);

    /// <summary>A raw connection to this test's database, bypassing the stores.</summary>
    protected abstract DbConnection OpenRaw();

    protected long Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected void Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [StoreFact]
    public async Task Migrations_RunOnce_AndRerunningIsHarmless()
    {
        Assert.Null(await Members.FindAsync("g", "m", CancellationToken.None));
        Restart();
        Assert.Null((await NewProvider().GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None)).FirstOrDefault());
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => NewProvider().GetRequiredService<IMemberStore>().ListGroupAsync("g", CancellationToken.None))));
        Assert.Equal(LastMigration, Scalar("SELECT COUNT(*) FROM cf_schema_version"));
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT applied FROM cf_schema_version";
        Assert.Equal(T0.ToString("O", System.Globalization.CultureInfo.InvariantCulture), command.ExecuteScalar() as string); // the host's clock
    }

    [StoreFact]
    public async Task AVersion1Database_IsUpgradedOnStart_KeepingItsData()
    {
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(new RewardLedgerEntry { Key = "k", RuleId = "r", Member = "m", EventId = "e", At = T0, Rewards = [], Counters = [] }, CancellationToken.None));
        UndoMigration4();
        UndoMigration3();
        Execute("DROP TABLE cf_reward_members");
        Execute("DELETE FROM cf_schema_version WHERE version = 2");
        Restart();

        var directory = Host.GetRequiredService<IMemberDirectory>();
        await directory.ObserveAsync(new CommunityFunnel.Events.CommunityEvent("j1", CommunityFunnel.Events.EventType.Joined, "g", "m", T0, channel: "poster"), CancellationToken.None);
        Assert.Equal("poster", (await directory.FindAsync("m", CancellationToken.None))!.Channel);
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        Assert.Equal(RewardAppendResult.AlreadyGranted, await Ledger.TryAppendAsync((await Ledger.GetEntriesAsync(CancellationToken.None))[0], CancellationToken.None));
    }

    [StoreFact]
    public async Task ASchemaNewerThanThePackage_IsRefusedWithAClearError()
    {
        Assert.Null(await Members.FindAsync("g", "m", CancellationToken.None));
        Execute("INSERT INTO cf_schema_version (version, applied) VALUES (99, 'future')");
        Restart();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Members.FindAsync("g", "m", CancellationToken.None));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task EverythingSurvivesARestart()
    {
        var ct = CancellationToken.None;
        await Members.SaveAsync(new MemberRecord { Group = "g", Member = "m", Version = 1, FirstSeenAt = T0 }, 0, [new MemberTransition("g", "m", null, MemberState.Active, "e1", T0)], CancellationToken.None);
        Assert.Equal(RewardAppendResult.Granted, await Ledger.TryAppendAsync(new RewardLedgerEntry
        {
            Key = "k", RuleId = "r", Member = "m", EventId = "e1", At = T0, Rewards = [], Counters = [new RewardCounter("budget|b", 5, 2, true)],
        }, CancellationToken.None));
        var lottery = Host.GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]), ct);
        await lottery.OpenAsync("d", ct);
        await lottery.EnterAsync("d", "m", 2, ct);
        Restart();

        Assert.Equal(1, (await Members.FindAsync("g", "m", CancellationToken.None))!.Version);
        Assert.Single(await Members.GetAuditTrailAsync("g", "m", CancellationToken.None));
        Assert.Equal(RewardAppendResult.AlreadyGranted, await Ledger.TryAppendAsync((await Ledger.GetEntriesAsync(CancellationToken.None))[0], CancellationToken.None));
        Assert.Equal(2, await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        Assert.Equal([new DrawEntry("m", 2)], await Draws.GetEntriesAsync("d", ct));
        var proof = await DrawToTheEnd(Host.GetRequiredService<IDrawService>(), "d");
        Assert.Equal("m", proof.Winners[0].Entry);
    }

    [StoreFact]
    public async Task TheDatabaseRefusesEntryChanges_OnceTheDrawIsClosed()
    {
        var ct = CancellationToken.None;
        var lottery = Host.GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]), ct);
        Assert.ThrowsAny<DbException>(() => Execute("INSERT INTO cf_draw_entries (draw_id, entry_id, tickets) VALUES ('d', 'early', 1)"));
        await lottery.OpenAsync("d", ct);
        await lottery.EnterAsync("d", "a", 1, ct);
        await lottery.EnterAsync("d", "b", 1, ct);
        await lottery.CloseAsync("d", ct);

        Assert.ThrowsAny<DbException>(() => Execute("INSERT INTO cf_draw_entries (draw_id, entry_id, tickets) VALUES ('d', 'late', 1)"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draw_entries SET tickets = 100 WHERE entry_id = 'a'"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_draw_entries WHERE entry_id = 'b'"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draws SET state = 1"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draws SET entries_root = 'forged'"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_draws"));
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM cf_draw_entries"));
    }

    [StoreFact]
    public async Task TheDatabaseKeepsExactlyOneResultPerDraw()
    {
        var ct = CancellationToken.None;
        var lottery = Host.GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]), ct);
        await lottery.OpenAsync("d", ct);
        foreach (var m in new[] { "a", "b", "c" })
        {
            await lottery.EnterAsync("d", m, 1, ct);
        }

        var proof = await DrawToTheEnd(lottery, "d");
        await lottery.ForfeitAsync("d", proof.Winners[0].Entry!, ct);
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM cf_draw_results"));
        Assert.ThrowsAny<DbException>(() => Execute("INSERT INTO cf_draw_results (draw_id, server_seed, public_entropy, entries_root, winners) VALUES ('d', 'x', 'x', 'x', '[]')"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draw_results SET winners = '[]'"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_draw_results"));

        // A second, different result through the store is refused too.
        var current = (await Draws.FindAsync("d", ct))!;
        var other = current.Proof! with { Winners = [new DrawWinner("first", 0, "c", 0)], Forfeited = [] };
        await Assert.ThrowsAsync<InvalidOperationException>(() => Draws.TryUpdateAsync(current with { Version = current.Version + 1, Proof = other }, current.Version, ct));
        Same.Equal(current, await Draws.FindAsync("d", ct));
    }

    [StoreFact]
    public async Task TheDatabaseKeepsTheLedgerAppendOnly_WithUniqueKeys()
    {
        await Ledger.TryAppendAsync(new RewardLedgerEntry { Key = "k", RuleId = "r", Member = "m", EventId = "e", At = T0, Rewards = [], Counters = [new RewardCounter("c", 5, 2, true)] }, CancellationToken.None);
        await Members.SaveAsync(new MemberRecord { Group = "g", Member = "m", Version = 1, FirstSeenAt = T0 }, 0, [new MemberTransition("g", "m", null, MemberState.Active, "e1", T0)], CancellationToken.None);
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_reward_ledger SET member_id = 'x'"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_reward_ledger"));
        Assert.ThrowsAny<DbException>(() => Execute(
            "INSERT INTO cf_reward_ledger (entry_key, kind, rule_id, member_id, at_ticks, at_offset, event_id, rewards, counters) VALUES ('k', 0, 'r', 'm', 0, 0, 'e', '[]', '[]')"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_reward_counters SET used = -1"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_member_transitions SET trigger_id = 'forged'"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_member_transitions"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM cf_reward_ledger"));
        Assert.Equal(2, await Ledger.GetCounterAsync("c", CancellationToken.None));
    }

    [StoreFact]
    public async Task BatchedGrants_HaveTheOutcomesOfOneByOneGrants_InOneTransaction()
    {
        using var reference = Reference();
        var expected = reference.GetRequiredService<IRewardLedger>();
        var random = new Random(3);
        for (var round = 0; round < 6; round++)
        {
            var grants = Enumerable.Range(0, 40).Select(i =>
            {
                var k = random.Next(120);
                return new RewardLedgerEntry
                {
                    Key = $"k{k}", RuleId = "r", Member = $"m{k % 9}", EventId = $"e{round}-{i}", At = T0.AddMinutes(i), Rewards = [],
                    Counters = [new RewardCounter($"cap|m{k % 9}", 6, 1, false), new RewardCounter("budget|b", 150, 1 + (k % 3), true)],
                };
            }).ToList();
            var one = new List<RewardAppendResult>();
            foreach (var grant in grants)
            {
                one.Add(await expected.TryAppendAsync(grant, CancellationToken.None));
            }

            Assert.Equal(one, await AppendAll(Ledger, grants));
        }

        Same.Equal(await expected.GetEntriesAsync(CancellationToken.None), await Ledger.GetEntriesAsync(CancellationToken.None));
        Assert.Equal(await expected.GetCounterAsync("budget|b", CancellationToken.None), await Ledger.GetCounterAsync("budget|b", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => AppendAll(Ledger, [new RewardLedgerEntry { Key = "x", Kind = RewardEntryKind.Reversal, RuleId = "r", Member = "m", EventId = "e", Rewards = [], Counters = [] }]));
    }

    [StoreFact]
    public async Task BatchedMemberSaves_SkipOnlyTheConflictingOnes()
    {
        await Members.SaveAsync(new MemberRecord { Group = "g", Member = "a", Version = 1, FirstSeenAt = T0 }, 0, [], CancellationToken.None);
        IReadOnlyList<MemberTransition> none = [];
        var saved = await SaveAll(Members,
        [
            (new MemberRecord { Group = "g", Member = "a", Version = 2, FirstSeenAt = T0, State = MemberState.Left }, 1, [new MemberTransition("g", "a", MemberState.Onboarding, MemberState.Left, "e1", T0)]),
            (new MemberRecord { Group = "g", Member = "a", Version = 2, FirstSeenAt = T0 }, 1, [new MemberTransition("g", "a", MemberState.Onboarding, MemberState.Active, "stale", T0)]),
            (new MemberRecord { Group = "g", Member = "b", Version = 1, FirstSeenAt = T0 }, 0, none),
            (new MemberRecord { Group = "g", Member = "b", Version = 1, FirstSeenAt = T0 }, 0, none),
        ]);
        Assert.Equal([true, false, true, false], saved);
        Assert.Equal(MemberState.Left, (await Members.FindAsync("g", "a", CancellationToken.None))!.State);
        Assert.Equal(["e1"], (await Members.GetAuditTrailAsync("g", "a", CancellationToken.None)).Select(t => t.Trigger));
        Assert.Equal(["a", "b"], (await Members.ListGroupAsync("g", CancellationToken.None)).Select(r => r.Member));
    }

    private static async Task<DrawProof> DrawToTheEnd(IDrawService lottery, string drawId)
    {
        await lottery.CloseAsync(drawId);
        await lottery.SupplyEntropyAsync(drawId, new byte[] { 9, 9 });
        return await lottery.DrawAsync(drawId);
    }
}
