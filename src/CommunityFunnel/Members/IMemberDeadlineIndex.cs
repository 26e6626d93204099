namespace CommunityFunnel.Members;

/// <summary>
/// A durable due-time index over a member store's records (<see cref="MemberRecord.NextDeadline"/>), with one owner per
/// due member across host instances. A member store that implements it (the in-memory, SQLite and PostgreSQL stores
/// do) lets the lifecycle find due deadlines by the index instead of keeping them in memory, so a deadline decided by
/// one instance is fired by whichever instance is alive, also after a restart of all of them.
/// </summary>
/// <remarks>
/// A claim leases a due member to one owner until the lease runs out; while it runs, no other owner's claim returns
/// that member (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; SQLite: its single writer). Every save of the member
/// (<see cref="IMemberStore.SaveAsync(MemberRecord, long, IReadOnlyList{MemberTransition}, CancellationToken)"/>)
/// releases the lease and indexes the record's new deadline. A lease whose owner died runs out and the member is
/// claimed by another owner. The lease keeps two owners from working on one member at once; the version check of the
/// save is what makes a deadline fire once even so.
/// </remarks>
public interface IMemberDeadlineIndex
{
    /// <summary>
    /// Claims up to <paramref name="max"/> members whose <see cref="MemberRecord.NextDeadline"/> is at or before
    /// <paramref name="now"/> and who are not leased (or whose lease ran out by <paramref name="now"/>), earliest deadline
    /// first, for <paramref name="owner"/> until <paramref name="leaseUntil"/>.
    /// </summary>
    /// <param name="owner">The claiming instance's id.</param>
    /// <param name="now">Now.</param>
    /// <param name="leaseUntil">When the claim runs out (after <paramref name="now"/>).</param>
    /// <param name="max">At most this many (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed members' records, earliest deadline first (then by group and member id, ordinal).</returns>
    Task<IReadOnlyList<MemberRecord>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back claims <paramref name="owner"/> will not process (it was cancelled, or a step failed), so the members
    /// are due again at once instead of when the lease runs out. A claim no longer held by <paramref name="owner"/> (the
    /// member was saved since, or another owner holds it) is left as it is.
    /// </summary>
    /// <param name="owner">The instance that claimed them.</param>
    /// <param name="claimed">The claimed records (their group and member ids are used).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the claims are released.</returns>
    Task ReleaseAsync(string owner, IReadOnlyList<MemberRecord> claimed, CancellationToken cancellationToken);
}
