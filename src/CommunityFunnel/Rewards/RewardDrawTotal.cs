namespace CommunityFunnel.Rewards;

/// <summary>A draw's tickets.</summary>
/// <param name="DrawId">The draw.</param>
/// <param name="Entries">Members with at least one ticket.</param>
/// <param name="Tickets">Total tickets (the sum of the entries' weights).</param>
public sealed record RewardDrawTotal(string DrawId, int Entries, long Tickets);
