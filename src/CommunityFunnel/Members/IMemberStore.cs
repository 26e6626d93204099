namespace CommunityFunnel.Members;

/// <summary>
/// Where member records and their audit trail are kept, with optimistic concurrency: every record carries a
/// version and a save names the version it replaces, so two writers (two host instances) cannot lose an update.
/// Implementations must be thread-safe. A SQL implementation keeps one row per (group, member) with a version
/// column (<c>UPDATE … WHERE version = @expected</c>) and an append-only transitions table, in one transaction.
/// </summary>
public interface IMemberStore
{
    /// <summary>The record of a member, or <see langword="null"/> when never saved.</summary>
    MemberRecord? Find(string group, string member);

    /// <summary>Every record of a group (any state).</summary>
    IReadOnlyList<MemberRecord> ListGroup(string group);

    /// <summary>
    /// Saves <paramref name="record"/> (whose <see cref="MemberRecord.Version"/> must be
    /// <paramref name="expectedVersion"/> + 1) and appends <paramref name="transitions"/> to the audit trail,
    /// atomically. <paramref name="expectedVersion"/> is 0 for a member never saved.
    /// </summary>
    /// <exception cref="MemberVersionConflictException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    void Save(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions);

    /// <summary>The audit trail of a member, oldest first.</summary>
    IReadOnlyList<MemberTransition> AuditTrail(string group, string member);
}
