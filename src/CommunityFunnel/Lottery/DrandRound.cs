namespace CommunityFunnel.Lottery;

/// <summary>
/// The drand round a draw named when it was created: the first round of <paramref name="ChainHash"/> published at or
/// after the scheduled close plus the safety margin. It is bound into the draw's commitment (fair-draw/v1.1), so it
/// cannot be changed after anyone has seen a round.
/// </summary>
/// <param name="ChainHash">The chain hash (64 lowercase hex digits).</param>
/// <param name="Round">The round.</param>
public sealed record DrandRound(string ChainHash, long Round);
