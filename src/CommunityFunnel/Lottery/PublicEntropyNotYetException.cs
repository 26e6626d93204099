namespace CommunityFunnel.Lottery;

/// <summary>
/// The public entropy of a closed draw is asked for before it exists: the drand round named at creation is
/// published at <see cref="AvailableAt"/>. Nothing changed; ask again then (<c>AdvanceAsync</c> waits by itself).
/// </summary>
public sealed class PublicEntropyNotYetException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="round">The round named at creation.</param>
    /// <param name="availableAt">When the round is published.</param>
    public PublicEntropyNotYetException(string drawId, DrandRound round, DateTimeOffset availableAt)
        : base($"draw '{drawId}': not yet: drand round {round?.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)} is published at {DrandRules.Format(availableAt)}; fetch the entropy then")
    {
        ArgumentNullException.ThrowIfNull(round);
        DrawId = drawId;
        Round = round;
        AvailableAt = availableAt;
    }

    /// <summary>Creates the exception.</summary>
    public PublicEntropyNotYetException()
        : this("?", new DrandRound(DrandChain.Quicknet.ChainHash, 1), DrandChain.Quicknet.Genesis)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PublicEntropyNotYetException(string message)
        : base(message)
    {
        DrawId = "?";
        Round = new DrandRound(DrandChain.Quicknet.ChainHash, 1);
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PublicEntropyNotYetException(string message, Exception innerException)
        : base(message, innerException)
    {
        DrawId = "?";
        Round = new DrandRound(DrandChain.Quicknet.ChainHash, 1);
    }

    /// <summary>The draw's id.</summary>
    public string DrawId { get; }

    /// <summary>The round named at creation.</summary>
    public DrandRound Round { get; }

    /// <summary>When the round is published.</summary>
    public DateTimeOffset AvailableAt { get; }
}
