using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>The batch operations behind the packages' public batch classes, with a one-by-one fallback for other stores.</summary>
internal static class SqlBatch
{
    public static IReadOnlyList<RewardAppendResult> TryAppendAll(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(grants);
        return ledger is SqlRewardLedger sql ? sql.TryAppendBatch(grants) : grants.Select(ledger.TryAppend).ToArray();
    }

    public static IReadOnlyList<bool> SaveAll(
        IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(saves);
        if (store is SqlMemberStore sql)
        {
            return sql.SaveAll(saves);
        }

        var saved = new bool[saves.Count];
        for (var i = 0; i < saves.Count; i++)
        {
            try
            {
                store.Save(saves[i].Record, saves[i].ExpectedVersion, saves[i].Transitions);
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
