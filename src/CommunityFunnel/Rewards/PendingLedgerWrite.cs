namespace CommunityFunnel.Rewards;

/// <summary>
/// A ledger write the engine has decided: the append of <see cref="Grant"/>, or, when <see cref="ReversedBy"/> is
/// set, the reversal (by that rejection event, at <see cref="CompactRewardGrant.At"/>) of the grant whose rule,
/// member and approval event <see cref="Grant"/> names.
/// </summary>
internal readonly record struct PendingLedgerWrite(CompactRewardGrant Grant, string? ReversedBy);
