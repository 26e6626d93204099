using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>The batch operations behind the packages' public batch classes, with a one-by-one fallback for other stores.</summary>
internal static class SqlBatch
{
    public static async Task<IReadOnlyList<RewardAppendResult>> TryAppendAllAsync(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(grants);
        if (ledger is SqlRewardLedger sql)
        {
            return await sql.TryAppendBatchAsync(grants, cancellationToken).ConfigureAwait(false);
        }

        var results = new RewardAppendResult[grants.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await ledger.TryAppendAsync(grants[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public static async Task<IReadOnlyList<bool>> SaveAllAsync(
        IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(saves);
        if (store is SqlMemberStore sql)
        {
            return await sql.SaveAllAsync(saves, cancellationToken).ConfigureAwait(false);
        }

        var saved = new bool[saves.Count];
        for (var i = 0; i < saves.Count; i++)
        {
            try
            {
                await store.SaveAsync(saves[i].Record, saves[i].ExpectedVersion, saves[i].Transitions, cancellationToken).ConfigureAwait(false);
                saved[i] = true;
            }
            catch (MemberVersionConflictException)
            {
                saved[i] = false;
            }
        }

        return saved;
    }
}
