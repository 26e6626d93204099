namespace CommunityFunnel.Lottery;

/// <summary>What a host fixes when it creates a draw: its id, tiers, schedule and entry rules.</summary>
/// <param name="DrawId">The draw's id: non-empty, at most 256 UTF-8 bytes.</param>
/// <param name="Prizes">The prize tiers in draw order.</param>
public sealed record DrawDefinition(string DrawId, IReadOnlyList<PrizeTier> Prizes)
{
    /// <summary>When the entries close by themselves. Default <see cref="DrawSchedule.Manual"/>.</summary>
    public DrawSchedule Schedule { get; init; } = DrawSchedule.Manual;

    /// <summary>The most tickets one entry may hold: 1 to 4 294 967 295. Default 4 294 967 295.</summary>
    public long MaxTicketsPerEntry { get; init; } = uint.MaxValue;

    /// <summary>The most entries the draw takes; <see langword="null"/> for the configured maximum.</summary>
    public int? MaxEntries { get; init; }
}
