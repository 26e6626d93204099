namespace CommunityFunnel.Discord;

/// <summary>What the host knows about one gateway payload besides its JSON (<see cref="DiscordGatewayMapper.Map"/>).</summary>
public sealed record DiscordDelivery
{
    /// <summary>
    /// The <c>session_id</c> of the gateway session's <c>READY</c>. With the payload's sequence number <c>s</c> it is the
    /// identity of a <c>GUILD_MEMBER_REMOVE</c> (which carries no time and no id of its own): a RESUME replays a
    /// dispatch with the same <c>s</c> in the same session. Without it, <c>s</c> alone is used.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>When the host received the payload: the time of a <c>GUILD_MEMBER_REMOVE</c>. Default: the mapper's clock.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The channel of a join (<see cref="DiscordGatewayMapper.Attribute"/>), for a <c>GUILD_MEMBER_ADD</c> or the
    /// <c>GUILD_MEMBER_UPDATE</c> that ends screening. Default: <see cref="DiscordJoinAttribution.Unknown"/>.</summary>
    public DiscordJoinAttribution? Attribution { get; init; }

    /// <summary>The audit log's kick or ban of the user of a <c>GUILD_MEMBER_REMOVE</c>: it is then <c>removed</c>, not <c>left</c>.</summary>
    public DiscordKickHint? Kick { get; init; }
}
