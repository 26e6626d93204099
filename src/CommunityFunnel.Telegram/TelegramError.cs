namespace CommunityFunnel.Telegram;

/// <summary>Why a Telegram update was refused (<see cref="TelegramException.Reason"/>).</summary>
public enum TelegramError
{
    /// <summary>The update is longer than <see cref="TelegramUpdateMapper.MaxUpdateLength"/> characters (checked before parsing).</summary>
    PayloadTooLarge,

    /// <summary>Not JSON, not a JSON object, or nested deeper than the parser reads.</summary>
    MalformedJson,

    /// <summary>A field the mapping needs is absent or <c>null</c>; the message names it (e.g. <c>chat_member.new_chat_member.status</c>).</summary>
    MissingField,

    /// <summary>A field is of the wrong JSON type or out of range (a status Telegram does not define, a date past year 9999); the message names it.</summary>
    InvalidField,
}
