namespace CommunityFunnel.Lottery;

/// <summary>One recorded selection of a draw: an original winner, or a replacement for a forfeited one.</summary>
/// <param name="Tier">The prize tier.</param>
/// <param name="Slot">The slot within the tier, from 0.</param>
/// <param name="Entry">The winning entry's id; <see langword="null"/> when a replacement found no entry left.</param>
/// <param name="Ticket">The ticket drawn (below the remaining total weight); <see langword="null"/> with <paramref name="Entry"/>.</param>
/// <param name="Replaces">For a replacement, the forfeited winner it replaces; else <see langword="null"/>.</param>
public sealed record DrawWinner(string Tier, int Slot, string? Entry, long? Ticket, string? Replaces = null);
