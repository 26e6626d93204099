namespace CommunityFunnel.Discord;

/// <summary>Which gateway dispatch a payload was (its <c>t</c>; <see cref="DiscordMappingResult.Kind"/>).</summary>
public enum DiscordDispatchKind
{
    /// <summary>Another dispatch or opcode (<c>READY</c>, <c>MESSAGE_UPDATE</c>, a heartbeat ACK, ...): no events.</summary>
    Other,

    /// <summary><c>GUILD_MEMBER_ADD</c>: a user joined the guild (or, under membership screening, entered it pending).</summary>
    GuildMemberAdd,

    /// <summary><c>GUILD_MEMBER_UPDATE</c>: a member changed; with <c>pending</c> false, they passed membership screening.</summary>
    GuildMemberUpdate,

    /// <summary><c>GUILD_MEMBER_REMOVE</c>: a user left or was removed (the gateway does not say which).</summary>
    GuildMemberRemove,

    /// <summary><c>MESSAGE_CREATE</c>: a message was posted.</summary>
    MessageCreate,
}
