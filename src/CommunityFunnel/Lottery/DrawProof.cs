namespace CommunityFunnel.Lottery;

/// <summary>
/// The published proof document of a draw (fair-draw/v1 section 8). Anyone can recompute it from its own fields
/// with <see cref="FairDraw.Verify(DrawProof)"/>. Byte values are lowercase hex strings, as published.
/// </summary>
public sealed record DrawProof
{
    /// <summary>The version string of the spec, <c>fair-draw/v1</c>.</summary>
    public const string CurrentVersion = "fair-draw/v1";

    /// <summary>The version of a proof bound to a drand round named at creation (<see cref="Drand"/>; docs/fair-draw.md).</summary>
    public const string DrandVersion = DrandRules.Version;

    /// <summary>The spec version: <see cref="CurrentVersion"/>, or <see cref="DrandVersion"/> with a <see cref="Drand"/> object.</summary>
    public required string Version { get; init; }

    /// <summary>The draw's id.</summary>
    public required string DrawId { get; init; }

    /// <summary>The prize tiers in draw order.</summary>
    public required IReadOnlyList<PrizeTier> Prizes { get; init; }

    /// <summary>The number of entries.</summary>
    public required long EntryCount { get; init; }

    /// <summary>The sum of all entries' weights.</summary>
    public required long TotalWeight { get; init; }

    /// <summary>The RFC 6962 Merkle root of the entries in canonical order (hex).</summary>
    public required string EntriesRoot { get; init; }

    /// <summary><c>SHA256(serverSeed)</c>, published before the close (hex).</summary>
    public required string Commitment { get; init; }

    /// <summary>The revealed server seed (hex, 32 bytes).</summary>
    public required string ServerSeed { get; init; }

    /// <summary>The public entropy (hex, possibly empty).</summary>
    public required string PublicEntropy { get; init; }

    /// <summary>
    /// fair-draw/v1.1: the drand chain and round named at creation (bound into <see cref="Commitment"/>), the close,
    /// and the round's randomness (<see cref="PublicEntropy"/>) and signature; <see langword="null"/> in a fair-draw/v1 proof.
    /// </summary>
    public DrandBeacon? Drand { get; init; }

    /// <summary>The forfeited winners, in forfeit order.</summary>
    public required IReadOnlyList<string> Forfeited { get; init; }

    /// <summary>The original selections in draw order, then the replacements in forfeit order.</summary>
    public required IReadOnlyList<DrawWinner> Winners { get; init; }

    /// <summary>The entries in canonical order (UTF-8 byte order of the ids).</summary>
    public required IReadOnlyList<DrawEntry> Entries { get; init; }
}
