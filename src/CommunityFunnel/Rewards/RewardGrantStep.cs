using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>
/// One step of the engine's second half (<see cref="RewardGrantWriter"/>), in processing order: the directory
/// observes <see cref="Observed"/>; or <see cref="Grant"/> is checked for eligibility and appended; or, when
/// <see cref="ReversedBy"/> is set, the grant whose rule, member and approval event <see cref="Grant"/> names is
/// reversed by that rejection event at <see cref="CompactRewardGrant.At"/>.
/// </summary>
internal readonly record struct RewardGrantStep(CompactRewardGrant Grant, string? ReversedBy, CommunityEvent? Observed)
{
    public static RewardGrantStep Observe(CommunityEvent e) => new(default, null, e);

    public static RewardGrantStep Append(in CompactRewardGrant grant) => new(grant, null, null);

    public static RewardGrantStep Reverse(in CompactRewardGrant approval, string rejectionId) => new(approval, rejectionId, null);
}
