using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The default <see cref="IRewardMemberDirectory"/>: member facts from membership events, across all groups of
/// the community (the latest join, leave or removal decides the state). Members are found by keyed 128-bit
/// fingerprint (one probe, no string compared; as the lifecycle engine finds them), since the engine asks for
/// every event that fires a rule.
/// </summary>
internal sealed class EventRewardMemberDirectory : IRewardMemberDirectory
{
    private readonly FingerprintTable _index = new();
    private RewardMemberFacts?[] _facts = new RewardMemberFacts?[64];

    public void Observe(CommunityEvent communityEvent)
    {
        switch (communityEvent.Type)
        {
            case EventType.Joined:
                ref var facts = ref Slot(communityEvent.Member);
                facts = facts is { FirstJoinedAt: { } first } known && first <= communityEvent.At
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

    public RewardMemberFacts? Find(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var (hi, lo) = _index.Fingerprint(member);
        var i = _index.Find(hi, lo);
        return i < 0 ? null : _facts[i];
    }

    private void Set(string member, RewardMemberState state)
    {
        ref var facts = ref Slot(member);
        facts = facts is { } known ? known with { State = state } : new RewardMemberFacts(state, null, null, MemberRole.Member);
    }

    /// <summary>The member's facts, null for a member added now.</summary>
    private ref RewardMemberFacts? Slot(string member)
    {
        var (hi, lo) = _index.Fingerprint(member);
        var i = _index.GetOrAdd(hi, lo, _index.Count, out var added);
        if (added && i == _facts.Length)
        {
            Array.Resize(ref _facts, _facts.Length * 2);
        }

        return ref _facts[i];
    }
}
