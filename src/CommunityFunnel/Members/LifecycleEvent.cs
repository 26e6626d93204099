using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>The fields of an event the lifecycle core reads, as plain values (no <see cref="CommunityEvent"/> needed).</summary>
internal readonly record struct LifecycleEvent(
    string Id,
    EventType Type,
    long At,
    string Member,
    MemberRole Role = MemberRole.Member,
    string? Task = null,
    string? Nickname = null)
{
    public static LifecycleEvent From(CommunityEvent e) =>
        new(e.Id, e.Type, e.AtUtcTicks, e.Member, e.EffectiveRole, e.Task, e.Nickname);
}
