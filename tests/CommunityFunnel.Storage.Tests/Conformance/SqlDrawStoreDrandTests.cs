using System.Data.Common;
using CommunityFunnel.Lottery;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>Migration 3: the drand round a draw names at creation, kept in its own columns and never changed.</summary>
public abstract partial class SqlStoreConformanceTests
{
    /// <summary>Takes the schema back from version 3 to 2 (SQLite and PostgreSQL spell a trigger's drop differently).</summary>
    protected void UndoMigration3()
    {
        try
        {
            Execute("DROP TRIGGER cf_draws_drand_round_fixed ON cf_draws");
            Execute("DROP FUNCTION cf_draws_drand_round_fixed()");
        }
        catch (DbException)
        {
            Execute("DROP TRIGGER cf_draws_drand_round_fixed");
        }

        foreach (var column in new[] { "drand_chain", "drand_round", "drand_signature" })
        {
            Execute($"ALTER TABLE cf_draws DROP COLUMN {column}");
        }

        Execute("DELETE FROM cf_schema_version WHERE version = 3");
    }

    /// <summary>Takes the draws' due-time index (migration 10) back out, and the later ones first.</summary>
    protected void UndoMigration10()
    {
        UndoActivationMigration();
        Execute("DROP INDEX cf_draws_due");
        Execute("DROP INDEX cf_draws_undrawn");
        Execute("ALTER TABLE cf_draws DROP COLUMN closes_ticks");
        Execute("DELETE FROM cf_schema_version WHERE version = 10");
    }

    /// <summary>Takes the event log's "not applied yet" marks (migration 9) back out, and the later ones first.</summary>
    protected void UndoMigration9()
    {
        UndoMigration10();
        Execute("DROP TABLE cf_events_unapplied");
        Execute("DELETE FROM cf_schema_version WHERE version = 9");
    }

    /// <summary>Takes the members' due-time index (migration 8) back out, and the later ones first.</summary>
    protected void UndoMigration8()
    {
        UndoMigration9();
        Execute("DROP INDEX cf_members_due");
        foreach (var column in new[] { "due_ticks", "lease_owner", "lease_until" })
        {
            Execute($"ALTER TABLE cf_members DROP COLUMN {column}");
        }

        Execute("DELETE FROM cf_schema_version WHERE version = 8");
    }

    /// <summary>Takes the action outbox (migration 7) back out, and the later ones first.</summary>
    protected void UndoMigration7()
    {
        UndoMigration8();
        Execute("DROP TABLE cf_outbox");
        Execute("DELETE FROM cf_schema_version WHERE version = 7");
    }

    /// <summary>Takes the coupons' money budgets (migration 6) back out, and the later ones first.</summary>
    protected void UndoMigration6()
    {
        UndoMigration7();
        Execute("DROP TABLE cf_coupon_budgets");
        Execute("DROP INDEX cf_coupons_budget");
        Execute("ALTER TABLE cf_coupons DROP COLUMN budget_id");
        Execute("DELETE FROM cf_schema_version WHERE version = 6");
    }

    /// <summary>Takes the event log's migration (5) back out, and the later ones first.</summary>
    protected void UndoEventLogMigration()
    {
        UndoMigration6();
        Execute("DROP TABLE cf_events");
        Execute($"DELETE FROM cf_schema_version WHERE version = {EventLogMigration}");
    }

    [StoreFact]
    public async Task AVersion2Database_IsUpgraded_AndItsDrawsStayValid_WithoutARound()
    {
        var ct = CancellationToken.None;
        var lottery = Host.GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("old", [new PrizeTier("first", 1)]), ct);
        await lottery.OpenAsync("old", ct);
        await lottery.EnterAsync("old", "m", 1, ct);
        UndoMigration4();
        UndoMigration3();
        Restart();

        var upgraded = Host.GetRequiredService<IDrawService>();
        Assert.Null((await upgraded.GetAsync("old", ct))!.DrandRound);
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        var proof = await DrawToTheEnd(upgraded, "old");
        Assert.Equal(DrawProof.CurrentVersion, proof.Version);
        Assert.True(FairDraw.Verify(proof).IsValid);
    }

    [StoreFact]
    public async Task TheDatabaseRefusesToChange_TheDrandRoundNamedAtCreation()
    {
        var ct = CancellationToken.None;
        var named = new DrandRound(DrandChain.Quicknet.ChainHash, 1000);
        var record = new DrawRecord
        {
            Definition = new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(T0.AddDays(1)) },
            State = DrawState.Created,
            Version = 1,
            Commitment = new string('a', 64),
            CreatedAt = T0,
            DrandRound = named,
        };
        Assert.True(await Draws.TryCreateAsync(record, ct));

        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draws SET drand_round = 1001"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_draws SET drand_chain = NULL, drand_round = NULL"));
        await Assert.ThrowsAnyAsync<Exception>(() => Draws.TryUpdateAsync(record with { Version = 2, DrandRound = named with { Round = 999 } }, 1, ct));
        Assert.True(await Draws.TryUpdateAsync(record with { Version = 2, State = DrawState.Open }, 1, ct));
        Assert.Equal(named, (await Draws.FindAsync("d", ct))!.DrandRound);
    }
}
