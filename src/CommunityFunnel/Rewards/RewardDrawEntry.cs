namespace CommunityFunnel.Rewards;

/// <summary>One entry of a named draw, in the fair-draw input shape: the member and their tickets.</summary>
/// <param name="Id">The member id.</param>
/// <param name="Weight">The member's net tickets for the draw (at least 1).</param>
public sealed record RewardDrawEntry(string Id, long Weight);
