namespace CommunityFunnel.Members;

/// <summary>A save found a different version of the member than it expected: someone else saved first.</summary>
public sealed class MemberVersionConflictException : InvalidOperationException
{
    /// <summary>Creates the error for a member of a group.</summary>
    public MemberVersionConflictException(string group, string member, long expectedVersion, long actualVersion)
        : base($"Member '{member}' of group '{group}' is at version {actualVersion}, not the expected {expectedVersion}: another writer saved it first. Reload and apply again.")
    {
        Group = group;
        Member = member;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The group id.</summary>
    public string Group { get; }

    /// <summary>The member id.</summary>
    public string Member { get; }

    /// <summary>The version the writer expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version found in the store (0: none).</summary>
    public long ActualVersion { get; }
}
