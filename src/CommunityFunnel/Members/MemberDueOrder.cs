namespace CommunityFunnel.Members;

/// <summary>
/// The order of a due-time claim (<see cref="IMemberDeadlineIndex.ClaimDueAsync"/>): earliest deadline first, then group
/// and member id, ordinal. Every store and the lifecycle share it (this file is compiled into the SQL store packages too).
/// </summary>
internal sealed class MemberDueOrder : IComparer<(long Due, string Group, string Member)>
{
    public static readonly MemberDueOrder Instance = new();

    public int Compare((long Due, string Group, string Member) x, (long Due, string Group, string Member) y)
    {
        var c = x.Due.CompareTo(y.Due);
        if (c == 0)
        {
            c = string.CompareOrdinal(x.Group, y.Group);
        }

        return c != 0 ? c : string.CompareOrdinal(x.Member, y.Member);
    }
}
