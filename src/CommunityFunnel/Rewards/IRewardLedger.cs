namespace CommunityFunnel.Rewards;

/// <summary>
/// The append-only reward ledger. Every operation is atomic: a SQL store gives the same guarantees with a unique
/// key on <see cref="RewardLedgerEntry.Key"/> and one transaction that checks and adds the grant's counters
/// (<c>UPDATE counters SET used = used + @amount WHERE key = @key AND used + @amount &lt;= @limit</c>) and inserts
/// the entry. Implementations must be safe to call from many threads at once.
/// </summary>
public interface IRewardLedger
{
    /// <summary>
    /// Appends <paramref name="grant"/> unless its key is already there (<see cref="RewardAppendResult.AlreadyGranted"/>)
    /// or one of its counters would pass its limit; the check and the append are one atomic step.
    /// </summary>
    RewardAppendResult TryAppend(RewardLedgerEntry grant);

    /// <summary>Appends the reversal of the grant with <paramref name="grantKey"/> and gives back its counters, atomically.</summary>
    /// <param name="grantKey">The key of the grant to reverse.</param>
    /// <param name="at">When it was reversed (the rejection's instant).</param>
    /// <param name="eventId">The id of the event that caused the reversal.</param>
    RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId);

    /// <summary>The current value of a counter (0 when never used).</summary>
    long GetCounter(string counterKey);

    /// <summary>All entries in the order they were appended.</summary>
    IReadOnlyList<RewardLedgerEntry> Snapshot();
}
