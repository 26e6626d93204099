namespace CommunityFunnel.Rewards;

/// <summary>
/// The append-only reward ledger. Every operation is atomic: a SQL store gives the same guarantees with a unique
/// key on <see cref="RewardLedgerEntry.Key"/> and one transaction that checks and adds the grant's counters
/// (<c>UPDATE counters SET used = used + @amount WHERE key = @key AND used + @amount &lt;= @limit</c>) and inserts
/// the entry. Implementations must be safe to call from many threads at once. A cancelled call either happened
/// completely or not at all; calling it again with the same grant is safe (the key keeps it single).
/// </summary>
public interface IRewardLedger
{
    /// <summary>
    /// Appends <paramref name="grant"/> unless its key is already there (<see cref="RewardAppendResult.AlreadyGranted"/>)
    /// or one of its counters would pass its limit; the check and the append are one atomic step.
    /// </summary>
    /// <param name="grant">The grant (<see cref="RewardEntryKind.Grant"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened.</returns>
    Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken);

    /// <summary>Appends the reversal of the grant with <paramref name="grantKey"/> and gives back its counters, atomically.</summary>
    /// <param name="grantKey">The key of the grant to reverse.</param>
    /// <param name="at">When it was reversed (the rejection's instant).</param>
    /// <param name="eventId">The id of the event that caused the reversal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened.</returns>
    Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken);

    /// <summary>The current value of a counter (0 when never used).</summary>
    /// <param name="counterKey">The counter's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value.</returns>
    Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken);

    /// <summary>All entries in the order they were appended.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken);
}
