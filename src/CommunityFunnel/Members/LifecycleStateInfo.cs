namespace CommunityFunnel.Members;

/// <summary>One state of the lifecycle graph.</summary>
/// <param name="State">The state.</param>
/// <param name="Name">Its snake_case name, as used in diagrams and JSON (<c>at_risk</c>).</param>
/// <param name="Description">What it means.</param>
public sealed record LifecycleStateInfo(MemberState State, string Name, string Description);
