namespace CommunityFunnel.Members;

/// <summary>
/// Where member records and their audit trail are kept, with optimistic concurrency: every record carries a
/// version and a save names the version it replaces, so two writers (two host instances) cannot lose an update.
/// Implementations must be thread-safe. A SQL implementation keeps one row per (group, member) with a version
/// column (<c>UPDATE … WHERE version = @expected</c>) and an append-only transitions table, in one transaction.
/// Every call may be cancelled; a cancelled save either happened completely or not at all.
/// </summary>
public interface IMemberStore
{
    /// <summary>The record of a member, or <see langword="null"/> when never saved.</summary>
    /// <param name="group">The group's id.</param>
    /// <param name="member">The member's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken);

    /// <summary>Every record of a group (any state), in ordinal order of the member id.</summary>
    /// <param name="group">The group's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records.</returns>
    Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="record"/> (whose <see cref="MemberRecord.Version"/> must be
    /// <paramref name="expectedVersion"/> + 1) and appends <paramref name="transitions"/> to the audit trail,
    /// atomically. <paramref name="expectedVersion"/> is 0 for a member never saved.
    /// </summary>
    /// <param name="record">The new record.</param>
    /// <param name="expectedVersion">The version the change was based on.</param>
    /// <param name="transitions">The transitions to append to the member's audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the save is durable.</returns>
    /// <exception cref="MemberVersionConflictException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="SaveAsync(MemberRecord, long, IReadOnlyList{MemberTransition}, CancellationToken)"/>, and in the same
    /// transaction appends <paramref name="outbox"/> to the action outbox (<see cref="IActionOutbox"/>) as pending
    /// entries, an entry whose id is already there left as it is. Stores without an outbox (the default
    /// implementation) refuse a non-empty <paramref name="outbox"/>.
    /// </summary>
    /// <param name="record">The new record.</param>
    /// <param name="expectedVersion">The version the change was based on.</param>
    /// <param name="transitions">The transitions to append to the member's audit trail.</param>
    /// <param name="outbox">The actions the change decided, with their ids and decision instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the save is durable.</returns>
    /// <exception cref="MemberVersionConflictException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="NotSupportedException">The store keeps no outbox and <paramref name="outbox"/> is not empty.</exception>
    Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, IReadOnlyList<OutboxEntry> outbox, CancellationToken cancellationToken) =>
        outbox is { Count: 0 }
            ? SaveAsync(record, expectedVersion, transitions, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} keeps no action outbox: implement this SaveAsync overload and IActionOutbox, or turn LifecycleOptions.UseOutbox off");

    /// <summary>The audit trail of a member, oldest first.</summary>
    /// <param name="group">The group's id.</param>
    /// <param name="member">The member's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transitions.</returns>
    Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken);
}
