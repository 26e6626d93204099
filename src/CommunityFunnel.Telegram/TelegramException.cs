namespace CommunityFunnel.Telegram;

/// <summary>A Telegram update this adapter refuses; <see cref="Reason"/> says why, <see cref="Field"/> and the message say where.</summary>
public sealed class TelegramException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the update was refused.</param>
    /// <param name="field">The field's path in the update (e.g. <c>message.chat.id</c>), or <see langword="null"/> for the whole update.</param>
    /// <param name="message">What was wrong, naming the field.</param>
    public TelegramException(TelegramError reason, string? field, string message)
        : base(message)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="reason">Why the update was refused.</param>
    /// <param name="field">The field's path in the update, or <see langword="null"/> for the whole update.</param>
    /// <param name="message">What was wrong, naming the field.</param>
    /// <param name="innerException">The JSON parser's own error.</param>
    public TelegramException(TelegramError reason, string? field, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>Why the update was refused.</summary>
    public TelegramError Reason { get; }

    /// <summary>The path of the offending field in the update (e.g. <c>chat_member.date</c>), or <see langword="null"/> for the whole update.</summary>
    public string? Field { get; }
}
