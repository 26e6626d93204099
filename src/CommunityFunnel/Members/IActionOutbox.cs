namespace CommunityFunnel.Members;

/// <summary>
/// The action outbox's delivery side (a member action is written by the member store's save, in the state change's
/// transaction; a campaign's action by <see cref="EnqueueAsync"/>). A dispatcher claims due entries for a lease, delivers them, and marks each delivered or failed.
/// Implementations must be safe across host instances: an entry is claimed by one owner at a time (a SQL store:
/// <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, the single writer on SQLite), and a lease that ran out (its owner
/// died) may be claimed by another. Marks by an owner whose lease was taken over are ignored. Every call may be
/// cancelled.
/// </summary>
public interface IActionOutbox
{
    /// <summary>
    /// Appends entries that no member save writes (the campaign's actions), in one transaction, as pending: an id
    /// already in the outbox is left as it is, so enqueueing the same deterministic ids again (a catch-up after a
    /// crash, a second instance) adds nothing.
    /// </summary>
    /// <param name="entries">The entries (ids not empty; state, attempts and errors are ignored).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many of them were new.</returns>
    /// <exception cref="NotSupportedException">The outbox does not take entries outside a member save (a host's own implementation that predates it).</exception>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not implement IActionOutbox.EnqueueAsync: campaign actions cannot go through it");

    /// <summary>
    /// Claims up to <paramref name="max"/> pending entries due at <paramref name="now"/> (next attempt reached) and not
    /// leased to anyone (or whose lease ran out), oldest first, for <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>.
    /// </summary>
    /// <param name="owner">The claiming instance's id.</param>
    /// <param name="now">Now.</param>
    /// <param name="leaseUntil">When the claim runs out (after <paramref name="now"/>).</param>
    /// <param name="max">At most this many (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed entries, oldest first.</returns>
    Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>Marks a claimed entry delivered.</summary>
    /// <param name="id">The entry.</param>
    /// <param name="owner">The instance that claimed it.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the mark was taken (false: the entry is not pending under this owner's lease any more).</returns>
    Task<bool> MarkDeliveredAsync(string id, string owner, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Marks claimed entries delivered, in one transaction where the store has them (the dispatcher marks a claim's
    /// deliveries together: one write instead of one per entry).
    /// </summary>
    /// <param name="ids">The entries.</param>
    /// <param name="owner">The instance that claimed them.</param>
    /// <param name="at">Now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>For each id in order, whether its mark was taken (see <see cref="MarkDeliveredAsync(string, string, DateTimeOffset, CancellationToken)"/>).</returns>
    async Task<IReadOnlyList<bool>> MarkDeliveredAsync(IReadOnlyList<string> ids, string owner, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var taken = new bool[ids.Count];
        for (var i = 0; i < taken.Length; i++)
        {
            taken[i] = await MarkDeliveredAsync(ids[i], owner, at, cancellationToken).ConfigureAwait(false);
        }

        return taken;
    }

    /// <summary>
    /// Records a failed delivery of a claimed entry: one more attempt, the error kept, the lease released; the entry
    /// is due again at <paramref name="retryAt"/>, or dead when <paramref name="retryAt"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="id">The entry.</param>
    /// <param name="owner">The instance that claimed it.</param>
    /// <param name="at">Now.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="retryAt">When to try again; <see langword="null"/>: give up (dead letter).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the mark was taken.</returns>
    Task<bool> MarkFailedAsync(string id, string owner, DateTimeOffset at, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken);

    /// <summary>The entry with this id, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry.</returns>
    Task<OutboxEntry?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> entries in a state, oldest first (dead letters for an operator, tests).</summary>
    /// <param name="state">The state.</param>
    /// <param name="max">At most this many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState state, int max, CancellationToken cancellationToken);

    /// <summary>How many entries wait and how many are dead, and the oldest waiting one's decision instant.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    Task<OutboxStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}
