namespace CommunityFunnel.Discord;

/// <summary>Why a Discord gateway payload was refused (<see cref="DiscordException.Reason"/>).</summary>
public enum DiscordError
{
    /// <summary>The payload is longer than <see cref="DiscordGatewayMapper.MaxPayloadLength"/> characters (checked before parsing).</summary>
    PayloadTooLarge,

    /// <summary>Not JSON, not a JSON object, or nested deeper than the parser reads.</summary>
    MalformedJson,

    /// <summary>A field the mapping needs is absent or <c>null</c>; the message names it (e.g. <c>d.joined_at</c>).</summary>
    MissingField,

    /// <summary>A field is of the wrong JSON type or out of range (an id that is not a snowflake, a timestamp without an offset or past year 9999); the message names it.</summary>
    InvalidField,
}
