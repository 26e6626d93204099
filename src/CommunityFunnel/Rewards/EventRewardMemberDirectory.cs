using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The default <see cref="IRewardMemberDirectory"/>: member facts from membership events, across all groups of
/// the community (the latest join, leave or removal decides the state).
/// </summary>
internal sealed class EventRewardMemberDirectory : IRewardMemberDirectory
{
    private readonly Dictionary<string, RewardMemberFacts> _facts = new(StringComparer.Ordinal);

    public void Observe(CommunityEvent communityEvent)
    {
        switch (communityEvent.Type)
        {
            case EventType.Joined:
                _facts[communityEvent.Member] = _facts.TryGetValue(communityEvent.Member, out var known) && known.FirstJoinedAt is { } first && first <= communityEvent.At
                    ? known with { State = RewardMemberState.InGroup, Role = communityEvent.EffectiveRole }
                    : new RewardMemberFacts(RewardMemberState.InGroup, communityEvent.At, communityEvent.Channel, communityEvent.EffectiveRole);
                break;
            case EventType.Left:
                Set(communityEvent.Member, RewardMemberState.Left);
                break;
            case EventType.Removed:
                Set(communityEvent.Member, RewardMemberState.Removed);
                break;
        }
    }

    public RewardMemberFacts? Find(string member) => _facts.TryGetValue(member, out var facts) ? facts : null;

    private void Set(string member, RewardMemberState state) =>
        _facts[member] = _facts.TryGetValue(member, out var known)
            ? known with { State = state }
            : new RewardMemberFacts(state, null, null, MemberRole.Member);
}
