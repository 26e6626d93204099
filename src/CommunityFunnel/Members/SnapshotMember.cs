namespace CommunityFunnel.Members;

/// <summary>One member in a group's member list as fetched from the platform (for <see cref="IMemberLifecycle.Reconcile"/>).</summary>
/// <param name="Member">The member id.</param>
/// <param name="JoinedAt">When the platform says the member joined.</param>
/// <param name="JoinScene">How they joined (invite link, QR code...), carried into the <c>joined</c> event's channel.</param>
/// <param name="Inviter">Who invited them, carried into the <c>joined</c> event's <c>by</c>.</param>
public sealed record SnapshotMember(string Member, DateTimeOffset JoinedAt, string? JoinScene = null, string? Inviter = null);
