namespace CommunityFunnel.Lottery;

/// <summary>Limits of the draw service. Validated when the host starts.</summary>
public sealed class LotteryOptions
{
    /// <summary>The most entries a draw may take: 1 to 100 000 000. Default 10 000 000.</summary>
    public int MaxEntriesPerDraw { get; set; } = 10_000_000;

    /// <summary>The most prize slots a draw may have: 1 to 100 000 (the spec's limit). Default 100 000.</summary>
    public int MaxSlotsPerDraw { get; set; } = 100_000;

    /// <summary>How often a conflicting concurrent update is retried before giving up: 1 to 100. Default 16.</summary>
    public int ConflictRetries { get; set; } = 16;
}
