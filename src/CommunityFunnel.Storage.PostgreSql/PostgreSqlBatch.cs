using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage;

namespace CommunityFunnel.Storage.PostgreSql;

/// <summary>
/// Batched writes for a backlog (a replay after downtime, an import): many grants or member saves in one
/// transaction and one commit, each succeeding or failing on its own exactly as the single call would. On stores
/// other than the PostgreSQL ones the items are written one by one.
/// </summary>
public static class PostgreSqlBatch
{
    /// <summary>Appends every grant as <see cref="IRewardLedger.TryAppend"/> would, in one transaction.</summary>
    /// <param name="ledger">The ledger (the one <c>UsePostgreSqlStores</c> registered).</param>
    /// <param name="grants">The grants, appended in this order.</param>
    /// <returns>Each grant's outcome.</returns>
    public static IReadOnlyList<RewardAppendResult> TryAppendAll(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants) =>
        SqlBatch.TryAppendAll(ledger, grants);

    /// <summary>Saves every member as <see cref="IMemberStore.Save"/> would, in one transaction.</summary>
    /// <param name="store">The member store (the one <c>UsePostgreSqlStores</c> registered).</param>
    /// <param name="saves">The saves, in this order.</param>
    /// <returns>For each save: true when saved, false on a version conflict (that save only is skipped).</returns>
    public static IReadOnlyList<bool> SaveAll(
        IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves) =>
        SqlBatch.SaveAll(store, saves);
}
