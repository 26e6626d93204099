namespace CommunityFunnel.WeCom;

/// <summary>A WeCom callback or API response this adapter refuses; <see cref="Reason"/> says why, the message says where.</summary>
public sealed class WeComException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the input was refused.</param>
    /// <param name="message">What was wrong, naming the field or element.</param>
    public WeComException(WeComError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="reason">Why the input was refused.</param>
    /// <param name="message">What was wrong, naming the field or element.</param>
    /// <param name="innerException">The parser's or the cipher's own error.</param>
    public WeComException(WeComError reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the input was refused.</summary>
    public WeComError Reason { get; }
}
