namespace CommunityFunnel.Lottery;

/// <summary>What an <see cref="IPublicEntropySource"/> is asked for: entropy published after this draw closed.</summary>
/// <param name="DrawId">The draw's id.</param>
/// <param name="ClosedAt">When the entries closed: the entropy must be fixed only after this instant.</param>
/// <param name="EntriesRoot">The published entries root (hex).</param>
public sealed record PublicEntropyRequest(string DrawId, DateTimeOffset ClosedAt, string EntriesRoot);
