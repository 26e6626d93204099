using System.Globalization;

namespace CommunityFunnel.Members;

/// <summary>The deterministic ids of decided member actions.</summary>
public static class MemberActionIds
{
    /// <summary>
    /// The id of the <paramref name="index"/>-th action decided by the save that made <paramref name="version"/> of a
    /// member's record: <c>len:group|len:member|v{version}|{index}</c>. A record version is saved once (optimistic
    /// concurrency), so the id names one decision exactly; the lengths keep ids of different members apart whatever
    /// characters their ids hold.
    /// </summary>
    /// <param name="group">The group.</param>
    /// <param name="member">The member.</param>
    /// <param name="version">The record version the save wrote (at least 1).</param>
    /// <param name="index">The action's place among that save's actions (from 0).</param>
    /// <returns>The id.</returns>
    public static string For(string group, string member, long version, int index)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(member);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return string.Create(CultureInfo.InvariantCulture, $"{group.Length}:{group}|{member.Length}:{member}|v{version}|{index}");
    }
}
