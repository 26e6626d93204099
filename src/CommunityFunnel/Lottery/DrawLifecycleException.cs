namespace CommunityFunnel.Lottery;

/// <summary>A lifecycle call made out of order (e.g. an entry after the close), or on an unknown draw.</summary>
public sealed class DrawLifecycleException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="state">The draw's state, or <see langword="null"/> if it does not exist.</param>
    /// <param name="operation">The call, e.g. <c>enter</c>.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    public DrawLifecycleException(string drawId, DrawState? state, string operation, string problem)
        : base($"draw '{drawId}' ({(state is null ? "not found" : "state " + state)}): cannot {operation}: {problem}")
    {
        DrawId = drawId;
        State = state;
        Operation = operation;
    }

    /// <summary>Creates the exception.</summary>
    public DrawLifecycleException()
        : this("?", null, "?", "invalid lifecycle call")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DrawLifecycleException(string message)
        : base(message)
    {
        DrawId = "?";
        Operation = "?";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DrawLifecycleException(string message, Exception innerException)
        : base(message, innerException)
    {
        DrawId = "?";
        Operation = "?";
    }

    /// <summary>The draw's id.</summary>
    public string DrawId { get; }

    /// <summary>The draw's state when the call was made; <see langword="null"/> if the draw does not exist.</summary>
    public DrawState? State { get; }

    /// <summary>The call that was refused.</summary>
    public string Operation { get; }
}
