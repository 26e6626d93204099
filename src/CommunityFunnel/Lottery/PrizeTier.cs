namespace CommunityFunnel.Lottery;

/// <summary>A prize tier of a draw: its name and how many winners it has.</summary>
/// <param name="Tier">The tier's name: non-empty and unique in the draw, e.g. <c>first</c>.</param>
/// <param name="Count">How many slots the tier has: at least 1.</param>
public sealed record PrizeTier(string Tier, int Count);
