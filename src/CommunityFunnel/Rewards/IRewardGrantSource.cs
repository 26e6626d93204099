namespace CommunityFunnel.Rewards;

/// <summary>What turns a <see cref="CompactRewardGrant"/> back into its ledger entry (a compiled rule).</summary>
internal interface IRewardGrantSource
{
    /// <summary>
    /// The grant's entry, equal field by field to what the engine would have appended as an object; a pure
    /// function of <paramref name="grant"/>, safe to call from any thread.
    /// </summary>
    RewardLedgerEntry Materialise(in CompactRewardGrant grant);
}
