using System.Runtime.CompilerServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Members;

/// <summary>
/// The default <see cref="IMemberDirectory"/>: member facts from membership events, across all groups of
/// the community (the latest join, leave or removal decides the state). Members are found by keyed 128-bit
/// fingerprint (one probe, no string compared; as the lifecycle engine finds them), since the engine asks for
/// every event that fires a rule.
/// </summary>
internal sealed class InMemoryMemberDirectory : IMemberDirectory
{
    private readonly FingerprintTable _index = new();
    private MemberFacts?[] _facts = new MemberFacts?[64];

    /// <summary>
    /// The role of the latest join of every member whose joins ever named staff or a bot (a few per group): the
    /// engine's common eligibility check (staff and bots left out) reads this small table, which stays in the
    /// cache, instead of the member's facts.
    /// </summary>
    private readonly FingerprintTable _roles = new(16);

    public Task ObserveAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        cancellationToken.ThrowIfCancellationRequested();
        Observe(communityEvent);
        return Task.CompletedTask;
    }

    public Task<MemberFacts?> FindAsync(string member, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(member));
    }

    /// <summary>As <see cref="ObserveAsync"/>, at once: the directory is in memory.</summary>
    internal void Observe(CommunityEvent communityEvent)
    {
        if (!MemberFacts.Changes(communityEvent.Type))
        {
            return;
        }

        ref var facts = ref Slot(communityEvent.Member);
        facts = MemberFacts.Next(facts, communityEvent);
        if (communityEvent.Type == EventType.Joined)
        {
            SetRole(communityEvent.Member, communityEvent.EffectiveRole);
        }
    }

    /// <summary>As <see cref="FindAsync"/>, at once.</summary>
    internal MemberFacts? Find(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var (hi, lo) = _index.Fingerprint(member);
        var i = _index.Find(hi, lo);
        return i < 0 ? null : _facts[i];
    }

    /// <summary>Whether the member's facts say staff or bot (<c>Find(member)?.Role</c> is not <see cref="MemberRole.Member"/>), without reading the facts.</summary>
    internal bool IsStaffOrBot(string member)
    {
        if (_roles.Count == 0)
        {
            return false;
        }

        var (hi, lo) = _roles.Fingerprint(member);
        ref var role = ref _roles.FindRef(hi, lo);
        return !Unsafe.IsNullRef(ref role) && role != (long)MemberRole.Member;
    }

    /// <summary>Keeps <see cref="_roles"/> in step with the facts: every join sets the role.</summary>
    private void SetRole(string member, MemberRole role)
    {
        if (role == MemberRole.Member && _roles.Count == 0)
        {
            return;
        }

        var (hi, lo) = _roles.Fingerprint(member);
        if (role != MemberRole.Member)
        {
            _roles.GetOrAddRef(hi, lo) = (long)role;
            return;
        }

        ref var known = ref _roles.FindRef(hi, lo);
        if (!Unsafe.IsNullRef(ref known))
        {
            known = (long)MemberRole.Member;
        }
    }

    /// <summary>The member's facts, null for a member added now.</summary>
    private ref MemberFacts? Slot(string member)
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
