namespace CommunityFunnel.Lottery;

/// <summary>
/// Where <see cref="DrawService"/> takes a new draw's 32-byte server seed from, instead of
/// <see cref="System.Security.Cryptography.RandomNumberGenerator"/>. Internal, for rehearsals only
/// (<c>community-funnel campaign run --seed</c>): a seed anyone can recompute is no secret, so a live host never
/// registers one.
/// </summary>
/// <param name="drawId">The draw being created.</param>
/// <param name="seed">The 32 bytes to fill.</param>
internal delegate void DrawSeedSource(string drawId, Span<byte> seed);
