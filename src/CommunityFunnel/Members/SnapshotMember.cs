using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>One member in a group's member list as fetched from the platform (for <see cref="IMemberLifecycle.ReconcileAsync"/>).</summary>
/// <param name="Member">The member id.</param>
/// <param name="JoinedAt">When the platform says the member joined.</param>
/// <param name="JoinScene">How they joined (invite link, QR code...), carried into the <c>joined</c> event's channel.</param>
/// <param name="Inviter">Who invited them, carried into the <c>joined</c> event's <c>by</c>.</param>
public sealed record SnapshotMember(string Member, DateTimeOffset JoinedAt, string? JoinScene = null, string? Inviter = null)
{
    /// <summary>The member's role, carried into the <c>joined</c> event's <c>role</c> (absent: a plain member).</summary>
    public MemberRole? Role { get; init; }

    /// <summary>How sure the platform is of <see cref="JoinScene"/> as the channel, carried into the <c>joined</c> event's <c>attribution</c>.</summary>
    public ChannelAttribution? Attribution { get; init; }

    /// <summary>The platform's own code for how the member joined, kept raw in the <c>joined</c> event's <c>scene</c>, e.g. <c>wecom:join_scene=3</c>.</summary>
    public string? Scene { get; init; }
}
