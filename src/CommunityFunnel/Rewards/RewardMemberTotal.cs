namespace CommunityFunnel.Rewards;

/// <summary>A member's net rewards.</summary>
/// <param name="Member">The member.</param>
/// <param name="Grants">Grants not reversed.</param>
/// <param name="Points">Net points.</param>
/// <param name="Tickets">Net lottery tickets (all draws).</param>
/// <param name="Coupons">Net coupons.</param>
public sealed record RewardMemberTotal(string Member, long Grants, long Points, long Tickets, long Coupons);
