using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>What eligibility filters look at about a member.</summary>
/// <param name="State">Whether the member is in a group, left, or was removed.</param>
/// <param name="FirstJoinedAt">The member's first join, if known.</param>
/// <param name="Channel">The channel of the member's first join, if any.</param>
/// <param name="Role">The role of the member's latest join (member, staff or bot).</param>
public sealed record RewardMemberFacts(RewardMemberState State, DateTimeOffset? FirstJoinedAt, string? Channel, MemberRole Role);
