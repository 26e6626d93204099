using System.Data.Common;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>Migration 4: coupons, their uses and audit trail, with invariants the database enforces.</summary>
public abstract partial class SqlStoreConformanceTests
{
    /// <summary>Takes the schema back from version 4 to 3.</summary>
    protected void UndoMigration4()
    {
        UndoEventLogMigration(); // the later migration first
        foreach (var table in new[] { "cf_coupon_audit", "cf_coupon_uses", "cf_coupons" })
        {
            Execute($"DROP TABLE {table}");
        }

        Execute("DELETE FROM cf_schema_version WHERE version = 4");
    }

    [StoreFact]
    public async Task TheDatabaseKeepsCodesUnique_IssuedCouponsFixed_AndTheAuditTrailAppendOnly()
    {
        var ct = CancellationToken.None;
        var store = Host.GetRequiredService<ICouponStore>();
        await store.TryIssueAsync(new Coupon { Code = "C1", GrantKey = "g1", RuleId = "r", Member = "m", Terms = new() }, ct);
        await store.RedeemAsync("C1", "o1", T0, new(100, 10), ct);
        await store.RollbackAsync("C1", "o1", T0.AddHours(1), ct);

        Assert.ThrowsAny<DbException>(() => Execute("INSERT INTO cf_coupons (code, grant_key, rule_id, member_id, terms, issued_ticks, issued_offset, usage_limit) VALUES ('C1', 'g9', 'r', 'm', '{}', 0, 0, 1)"));
        Assert.ThrowsAny<DbException>(() => Execute("INSERT INTO cf_coupons (code, grant_key, rule_id, member_id, terms, issued_ticks, issued_offset, usage_limit) VALUES ('C9', 'g1', 'r', 'm', '{}', 0, 0, 1)"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_coupons SET usage_limit = 100"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_coupons"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_coupon_uses SET state = 1")); // a rolled-back use is final
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_coupon_uses"));
        Assert.ThrowsAny<DbException>(() => Execute("UPDATE cf_coupon_audit SET amount = 0"));
        Assert.ThrowsAny<DbException>(() => Execute("DELETE FROM cf_coupon_audit"));
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM cf_coupon_audit"));
        Restart();
        Assert.Equal(CouponUseState.RolledBack, Assert.Single((await Host.GetRequiredService<ICouponStore>().FindAsync("C1", ct))!.Uses).State);
    }
}
