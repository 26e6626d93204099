namespace CommunityFunnel.Lottery;

/// <summary>Everything a fair-draw/v1 draw is computed from (spec "Inputs").</summary>
public sealed record DrawInput
{
    /// <summary>Creates the inputs of a draw.</summary>
    /// <param name="drawId">The draw's id: non-empty, at most 256 UTF-8 bytes.</param>
    /// <param name="prizes">The tiers in draw order.</param>
    /// <param name="entries">The entries, in any order (the draw sorts them canonically).</param>
    /// <param name="serverSeed">The operator's secret seed: exactly 32 bytes.</param>
    /// <param name="publicEntropy">Public entropy fixed after the close: 0 to 4096 bytes.</param>
    /// <param name="forfeited">Ids of winners who lost their prize, in order; <see langword="null"/> for none.</param>
    public DrawInput(
        string drawId,
        IReadOnlyList<PrizeTier> prizes,
        IReadOnlyList<DrawEntry> entries,
        ReadOnlyMemory<byte> serverSeed,
        ReadOnlyMemory<byte> publicEntropy,
        IReadOnlyList<string>? forfeited = null)
    {
        DrawId = drawId;
        Prizes = prizes;
        Entries = entries;
        ServerSeed = serverSeed;
        PublicEntropy = publicEntropy;
        Forfeited = forfeited ?? [];
    }

    /// <summary>The draw's id.</summary>
    public string DrawId { get; init; }

    /// <summary>The prize tiers in draw order.</summary>
    public IReadOnlyList<PrizeTier> Prizes { get; init; }

    /// <summary>The entries, in any order.</summary>
    public IReadOnlyList<DrawEntry> Entries { get; init; }

    /// <summary>The operator's secret seed (32 bytes), committed to by <c>SHA256(serverSeed)</c>.</summary>
    public ReadOnlyMemory<byte> ServerSeed { get; init; }

    /// <summary>The public entropy (0 to 4096 bytes).</summary>
    public ReadOnlyMemory<byte> PublicEntropy { get; init; }

    /// <summary>The forfeited winners, in forfeit order.</summary>
    public IReadOnlyList<string> Forfeited { get; init; }

    /// <summary>
    /// fair-draw/v1.1: the drand round named at creation, the close and the round's randomness, which must equal
    /// <see cref="PublicEntropy"/>. The commitment then binds the round. <see langword="null"/> for fair-draw/v1.
    /// </summary>
    public DrandBeacon? Drand { get; init; }
}
