namespace CommunityFunnel.Members;

/// <summary>A member of a group: the key of the lifecycle tables.</summary>
internal readonly record struct MemberKey(string Group, string Member);
