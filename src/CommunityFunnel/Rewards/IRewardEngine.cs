using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>Applies the reward rules to events as they come and writes grants to the <see cref="IRewardLedger"/>.</summary>
public interface IRewardEngine
{
    /// <summary>
    /// Processes one event: updates the member's task state and appends the grants (and reversals) it triggers.
    /// Safe to call from several threads; the same event twice never grants twice.
    /// </summary>
    /// <returns>How many ledger entries (grants and reversals) the event appended.</returns>
    int Process(CommunityEvent communityEvent);

    /// <summary>What the engine has done so far.</summary>
    RewardStatistics Statistics { get; }
}
