namespace CommunityFunnel.Discord;

/// <summary>A Discord payload this adapter refuses; <see cref="Reason"/> says why, <see cref="Field"/> and the message say where.</summary>
public sealed class DiscordException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the payload was refused.</param>
    /// <param name="field">The field's path in the payload (e.g. <c>d.user.id</c>), or <see langword="null"/> for the whole payload.</param>
    /// <param name="message">What was wrong, naming the field.</param>
    public DiscordException(DiscordError reason, string? field, string message)
        : base(message)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="reason">Why the payload was refused.</param>
    /// <param name="field">The field's path in the payload, or <see langword="null"/> for the whole payload.</param>
    /// <param name="message">What was wrong, naming the field.</param>
    /// <param name="innerException">The JSON parser's own error.</param>
    public DiscordException(DiscordError reason, string? field, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>Why the payload was refused.</summary>
    public DiscordError Reason { get; }

    /// <summary>The path of the offending field in the payload (e.g. <c>d.guild_id</c>), or <see langword="null"/> for the whole payload.</summary>
    public string? Field { get; }
}
