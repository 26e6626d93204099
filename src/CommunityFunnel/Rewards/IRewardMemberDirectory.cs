using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Where the reward engine gets member facts for eligibility. The default learns them from <c>joined</c>,
/// <c>left</c> and <c>removed</c> events; a host (or the lifecycle part) can plug in its own with
/// <c>UseRewardMemberDirectory</c>. The engine calls it one call at a time, in the order it processes events, while
/// it holds its own lock; in a large <see cref="IRewardEngine.ProcessBatch"/> the calls come from a second thread.
/// </summary>
public interface IRewardMemberDirectory
{
    /// <summary>Sees every event the engine processes, before rules are applied to it.</summary>
    void Observe(CommunityEvent communityEvent);

    /// <summary>The member's facts now, or <see langword="null"/> when the member is unknown.</summary>
    RewardMemberFacts? Find(string member);
}
