using CommunityFunnel.Events;

namespace CommunityFunnel.Discord;

/// <summary>
/// The channel of a join and how sure it is, as <see cref="DiscordGatewayMapper.Attribute"/> works it out from the
/// invite use counts the host fetched before and after the join (the gateway names no invite).
/// </summary>
/// <param name="Channel">The channel name (the invite code's, through <see cref="DiscordMapperOptions.InviteChannels"/>),
/// or <see cref="DiscordGatewayMapper.UnknownChannel"/>.</param>
/// <param name="Attribution"><c>exact</c>, <c>inferred</c> or <c>unknown</c>: kept on the <c>joined</c> event.</param>
/// <param name="InviteCode">The invite code the channel comes from, when there is one.</param>
public sealed record DiscordJoinAttribution(string Channel, ChannelAttribution Attribution, string? InviteCode = null)
{
    /// <summary>Nothing tells where the member came from: channel <c>unknown</c>, attribution <c>unknown</c>.</summary>
    public static DiscordJoinAttribution Unknown { get; } = new(DiscordGatewayMapper.UnknownChannel, ChannelAttribution.Unknown);
}
