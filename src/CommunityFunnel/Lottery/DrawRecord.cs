namespace CommunityFunnel.Lottery;

/// <summary>
/// The stored state of one draw. Every change writes a new record with <see cref="Version"/> one higher, and only
/// if the stored version is still the one read (see <see cref="IDrawStore.TryUpdateAsync"/>).
/// </summary>
public sealed record DrawRecord
{
    /// <summary>The draw's definition.</summary>
    public required DrawDefinition Definition { get; init; }

    /// <summary>The draw's id (from <see cref="Definition"/>).</summary>
    public string DrawId => Definition.DrawId;

    /// <summary>The lifecycle state.</summary>
    public required DrawState State { get; init; }

    /// <summary>The record's version: 1 when created, one higher with every change.</summary>
    public required long Version { get; init; }

    /// <summary><c>SHA256(serverSeed)</c> as hex, published at creation.</summary>
    public required string Commitment { get; init; }

    /// <summary>When the draw was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The drand round the draw named when it was created (with <c>UseDrandEntropy</c>), bound into
    /// <see cref="Commitment"/> (fair-draw/v1.1); <see langword="null"/> for a draw with any other entropy.
    /// </summary>
    public DrandRound? DrandRound { get; init; }

    /// <summary>When the entries closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The number of entries at the close.</summary>
    public int EntryCount { get; init; }

    /// <summary>The total weight at the close.</summary>
    public long TotalWeight { get; init; }

    /// <summary>The entries root as hex, published at the close; <see langword="null"/> before (or without entries).</summary>
    public string? EntriesRoot { get; init; }

    /// <summary>The public entropy as hex, once supplied.</summary>
    public string? PublicEntropy { get; init; }

    /// <summary>The named drand round's signature (hex) as the relay served it, once fetched; not BLS-verified.</summary>
    public string? DrandSignature { get; init; }

    /// <summary>When the public entropy was supplied.</summary>
    public DateTimeOffset? EntropySuppliedAt { get; init; }

    /// <summary>The published proof, once drawn (with replacements for every forfeit so far).</summary>
    public DrawProof? Proof { get; init; }
}
