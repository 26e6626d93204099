namespace CommunityFunnel.Members;

/// <summary>One transition of the lifecycle graph.</summary>
/// <param name="From">The state it leaves, or <see langword="null"/> for a member first seen.</param>
/// <param name="To">The state it enters.</param>
/// <param name="Trigger">What causes it: an event type (<c>joined</c>, <c>nickname_changed</c>...) or a deadline.</param>
public sealed record LifecycleTransitionInfo(MemberState? From, MemberState To, string Trigger);
