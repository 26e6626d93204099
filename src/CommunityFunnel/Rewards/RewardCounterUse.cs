namespace CommunityFunnel.Rewards;

/// <summary>A <see cref="RewardCounter"/> with its key as the in-memory ledger's fingerprint of it.</summary>
internal readonly record struct RewardCounterUse(ulong Hi, ulong Lo, long Limit, long Amount, bool IsBudget);
