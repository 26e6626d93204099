using System.Globalization;
using System.Security.Cryptography;

namespace CommunityFunnel.Lottery;

/// <summary>
/// The fair-draw/v1 algorithm: computes a draw's proof from its inputs, verifies a published proof by recomputing
/// it, and builds and checks RFC 6962 inclusion proofs for single entries.
/// </summary>
public static class FairDraw
{
    /// <summary>Computes the proof document of a draw (spec sections 1 to 8) in O((n + k) log n).</summary>
    /// <param name="input">The draw's inputs.</param>
    /// <returns>The proof document.</returns>
    /// <exception cref="FairDrawInputException">The input breaks a rule; the message names the field and the rule.</exception>
    public static DrawProof Run(DrawInput input) => FairDrawEngine.Run(input);

    /// <summary>
    /// Verifies a proof: recomputes sections 1 to 7 from its inputs and compares every field in document order.
    /// </summary>
    /// <param name="proof">The published proof.</param>
    /// <returns>Valid, or the first difference (field path, recomputed value, stated value).</returns>
    public static DrawVerification Verify(DrawProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var version = proof.Drand is null ? DrawProof.CurrentVersion : DrawProof.DrandVersion;
        if (!string.Equals(proof.Version, version, StringComparison.Ordinal))
        {
            return DrawVerification.Difference("version", Quote(version), Quote(proof.Version));
        }

        if (!Hex.TryDecode(proof.ServerSeed, out var seed))
        {
            return DrawVerification.Difference("serverSeed", "hex", Quote(proof.ServerSeed));
        }

        if (!Hex.TryDecode(proof.PublicEntropy, out var entropy))
        {
            return DrawVerification.Difference("publicEntropy", "hex", Quote(proof.PublicEntropy));
        }

        if (proof.Drand is { } beacon)
        {
            if (DrandRules.FirstProblem(beacon, seed, proof.Commitment) is { } problem)
            {
                return DrawVerification.Difference(problem.Field, problem.Expected, problem.Actual);
            }

            // fair-draw/v1.1: the entropy is the round's randomness; a different publicEntropy is the difference.
            entropy = Convert.FromHexString(beacon.Randomness);
        }

        DrawProof expected;
        var input = new DrawInput(proof.DrawId, proof.Prizes, proof.Entries, seed, entropy, proof.Forfeited) { Drand = proof.Drand };
        try
        {
            expected = Run(input);
        }
        catch (FairDrawInputException e)
        {
            if (e.Field.StartsWith("forfeited", StringComparison.Ordinal))
            {
                // The forfeits are checked during the selection; report an earlier field (root, commitment) first.
                var header = ProofComparer.FirstHeaderDifference(Run(input with { Forfeited = [] }), proof);
                if (header is not null)
                {
                    return header;
                }
            }

            return DrawVerification.Difference(e.Field, "rule: " + e.Rule, e.Message);
        }

        return ProofComparer.FirstDifference(expected, proof);
    }

    /// <summary>The commitment <c>SHA256(serverSeed)</c> published when a draw is created, as lowercase hex.</summary>
    /// <param name="serverSeed">The 32-byte seed.</param>
    /// <returns>The commitment.</returns>
    public static string ComputeCommitment(ReadOnlySpan<byte> serverSeed)
    {
        if (serverSeed.Length != FairDrawEngine.SeedSize)
        {
            throw new FairDrawInputException("serverSeed", "exactly 32 bytes", $"the seed is {serverSeed.Length} bytes");
        }

        return Hex.Lower(SHA256.HashData(serverSeed));
    }

    /// <summary>
    /// The commitment of a draw bound to a drand round (fair-draw/v1.1):
    /// <c>SHA256(serverSeed || "community-funnel/fair-draw/v1.1/drand" || chainHash || u64be(round))</c>, lowercase hex.
    /// </summary>
    /// <param name="serverSeed">The 32-byte seed.</param>
    /// <param name="round">The chain and round named at creation.</param>
    /// <returns>The commitment.</returns>
    public static string ComputeCommitment(ReadOnlySpan<byte> serverSeed, DrandRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (serverSeed.Length != FairDrawEngine.SeedSize)
        {
            throw new FairDrawInputException("serverSeed", "exactly 32 bytes", $"the seed is {serverSeed.Length} bytes");
        }

        if (!Hex.TryDecode(round.ChainHash, out var chain) || chain.Length != 32 || round.Round is < 1 or > DrandRules.MaxRound)
        {
            throw new FairDrawInputException("drand", "a 32-byte chain hash and 1 <= round <= 4294967295", $"chain {Quote(round.ChainHash)}, round {round.Round}");
        }

        return DrandRules.Commitment(serverSeed, round.ChainHash, round.Round);
    }

    /// <summary>The entries root (RFC 6962 Merkle Tree Hash over canonical order), as lowercase hex.</summary>
    /// <param name="entries">The entries, in any order.</param>
    /// <returns>The root.</returns>
    /// <exception cref="FairDrawInputException">The entries break a rule.</exception>
    public static string ComputeEntriesRoot(IReadOnlyList<DrawEntry> entries) =>
        Hex.Lower(MerkleTree.Root(LeafHashes(CanonicalEntries.Prepare(entries), entries)));

    /// <summary>The inclusion proof of one entry in a proof's entries root.</summary>
    /// <param name="proof">The published proof (its <c>entries</c> give the tree).</param>
    /// <param name="entryId">The entry's id.</param>
    /// <returns>The entry's leaf index, the audit path and the root.</returns>
    /// <exception cref="FairDrawInputException">The entry is not in the proof, or the proof's entries do not give its root.</exception>
    public static InclusionProof GetInclusionProof(DrawProof proof, string entryId)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(entryId);
        var canonical = CanonicalEntries.Prepare(proof.Entries);
        var leaves = LeafHashes(canonical, proof.Entries);
        var root = Hex.Lower(MerkleTree.Root(leaves));
        if (!string.Equals(root, proof.EntriesRoot, StringComparison.Ordinal))
        {
            throw new FairDrawInputException(
                "entriesRoot", "entriesRoot = MTH(entries)", $"the proof states {Quote(proof.EntriesRoot)} but its entries give {Quote(root)}");
        }

        var position = -1;
        for (var i = 0; i < canonical.Count; i++)
        {
            if (string.Equals(proof.Entries[canonical.Order[i]].Id, entryId, StringComparison.Ordinal))
            {
                position = i;
                break;
            }
        }

        if (position < 0)
        {
            throw new FairDrawInputException("entry", "the entry is one of the proof's entries", $"'{Hex.Shorten(entryId)}' is not an entry of draw '{proof.DrawId}'");
        }

        var path = MerkleTree.AuditPath(leaves, position).Select(h => Hex.Lower(h)).ToList();
        return new InclusionProof(entryId, position, canonical.Count, path, root);
    }

    /// <summary>Checks an inclusion proof for an entry with the given weight (the member's own ticket count).</summary>
    /// <param name="inclusion">The inclusion proof.</param>
    /// <param name="weight">The entry's weight.</param>
    /// <returns>Whether the path leads from the entry's leaf to the root.</returns>
    public static bool VerifyInclusion(InclusionProof inclusion, long weight)
    {
        ArgumentNullException.ThrowIfNull(inclusion);
        if (weight < 1 || weight > CanonicalEntries.MaxWeight || inclusion.Path is null
            || !Hex.TryDecode(inclusion.Root, out var root))
        {
            return false;
        }

        var path = new List<byte[]>(inclusion.Path.Count);
        foreach (var step in inclusion.Path)
        {
            if (!Hex.TryDecode(step, out var bytes))
            {
                return false;
            }

            path.Add(bytes);
        }

        byte[] leafHash;
        try
        {
            var canonical = CanonicalEntries.Prepare([new DrawEntry(inclusion.Entry, weight)]);
            leafHash = LeafHashes(canonical, [new DrawEntry(inclusion.Entry, weight)]);
        }
        catch (FairDrawInputException)
        {
            return false;
        }

        return MerkleTree.VerifyInclusion(leafHash, inclusion.LeafIndex, inclusion.TreeSize, path, root);
    }

    private static byte[] LeafHashes(CanonicalEntries canonical, IReadOnlyList<DrawEntry> entries)
    {
        var hashes = new byte[checked(canonical.Count * MerkleTree.HashSize)];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> leaf = stackalloc byte[3 + CanonicalEntries.MaxIdBytes + 4];
        for (var i = 0; i < canonical.Count; i++)
        {
            var index = canonical.Order[i];
            var length = canonical.WriteLeafInput(index, entries[index].Weight, leaf);
            sha.AppendData(leaf[..length]);
            sha.GetHashAndReset(hashes.AsSpan(i * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        return hashes;
    }

    internal static string Quote(string? value) =>
        value is null ? "null" : "\"" + Hex.Shorten(value) + "\"";

    internal static string Number(long? value) =>
        value is null ? "null" : value.Value.ToString(CultureInfo.InvariantCulture);
}
