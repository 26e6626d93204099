using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace CommunityFunnel.Lottery;

/// <summary>Computes a fair-draw/v1 proof: canonical order, Merkle root, stream, Fenwick selection, forfeits.</summary>
internal static class FairDrawEngine
{
    public const int SeedSize = 32;
    public const int MaxEntropyBytes = 4096;
    public const int MaxSlots = 100_000;

    /// <summary>From this many entries on, the two halves of the Merkle tree are hashed in parallel.</summary>
    private const int ParallelThreshold = 1 << 16;

    /// <summary>How many leaves are gathered (random reads) before they are hashed (sequential work).</summary>
    private const int GatherBatch = 128;

    public static DrawProof Run(DrawInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var drawIdUtf8 = ValidateString(input.DrawId, "drawId", "drawId is non-empty, at most 256 UTF-8 bytes, valid Unicode");
        ValidatePrizes(input.Prizes);
        if (input.ServerSeed.Length != SeedSize)
        {
            throw new FairDrawInputException("serverSeed", "exactly 32 bytes", $"the seed is {input.ServerSeed.Length} bytes");
        }

        if (input.PublicEntropy.Length > MaxEntropyBytes)
        {
            throw new FairDrawInputException("publicEntropy", "0 to 4096 bytes", $"the entropy is {input.PublicEntropy.Length} bytes");
        }

        if (input.Drand is { } beacon)
        {
            if (DrandRules.FirstProblem(beacon, input.ServerSeed.Span, null) is { } problem)
            {
                throw new FairDrawInputException(problem.Field, problem.Expected, $"the proof states {problem.Actual}");
            }

            if (!string.Equals(beacon.Randomness, Hex.Lower(input.PublicEntropy.Span), StringComparison.Ordinal))
            {
                throw new FairDrawInputException("publicEntropy", "publicEntropy = drand.randomness", $"the entropy is not round {beacon.Round}'s randomness");
            }
        }

        if (input.Forfeited is null)
        {
            throw new FairDrawInputException("forfeited", "a list of entry ids", "the list is missing");
        }

        var entries = input.Entries;
        var canonical = CanonicalEntries.Prepare(entries);
        var n = canonical.Count;
        var order = canonical.Order;

        // Leaf hashes in canonical order fold into the root with O(log n) memory; weights go into the Fenwick tree.
        // RFC 6962 splits at the largest power of two below n; on a multi-core machine the subtrees hash in parallel,
        // split recursively so that the tasks stay balanced (the first split alone can be 2^23 against 1.6M leaves).
        // The proof's canonical copy of the entries is filled in the same pass, while each entry is at hand.
        var tree = new long[n + 1];
        var canonicalEntries = new DrawEntry[n];
        var root = new byte[MerkleTree.HashSize];
        if (n >= ParallelThreshold && Environment.ProcessorCount > 1)
        {
            var grain = Math.Max(ParallelThreshold / 2, n / (Environment.ProcessorCount * 4));
            HashRangeParallel(canonical, entries, canonicalEntries, tree, 0, n, root, grain);
        }
        else
        {
            HashRange(canonical, entries, canonicalEntries, tree, 0, n, root);
        }

        var stream = new DrawStream(input.ServerSeed.Span, drawIdUtf8, root, input.PublicEntropy.Span);
        var selector = new FenwickSelector(tree);
        var winners = new List<DrawWinner>();
        var current = new Dictionary<string, DrawWinner>(StringComparer.Ordinal);
        foreach (var prize in input.Prizes)
        {
            for (var slot = 0; slot < prize.Count; slot++)
            {
                if (selector.Remaining == 0)
                {
                    break;
                }

                var winner = Select(stream, selector, entries, order, prize.Tier, slot, replaces: null);
                winners.Add(winner);
                current[winner.Entry!] = winner;
            }
        }

        var forfeited = new HashSet<string>(StringComparer.Ordinal);
        for (var f = 0; f < input.Forfeited.Count; f++)
        {
            var id = input.Forfeited[f];
            if (id is null || !current.TryGetValue(id, out var lost))
            {
                throw new FairDrawInputException(
                    $"forfeited[{f}]", "a forfeited id is a current winner", $"'{Hex.Shorten(id ?? "null")}' is not a current winner");
            }

            if (!forfeited.Add(id))
            {
                throw new FairDrawInputException(
                    $"forfeited[{f}]", "a winner is forfeited at most once", $"'{Hex.Shorten(id)}' is already forfeited");
            }

            current.Remove(id);
            DrawWinner replacement;
            if (selector.Remaining == 0)
            {
                replacement = new DrawWinner(lost.Tier, lost.Slot, null, null, id);
            }
            else
            {
                replacement = Select(stream, selector, entries, order, lost.Tier, lost.Slot, id);
                current[replacement.Entry!] = replacement;
            }

            winners.Add(replacement);
        }

        return new DrawProof
        {
            Version = input.Drand is null ? DrawProof.CurrentVersion : DrawProof.DrandVersion,
            DrawId = input.DrawId,
            Prizes = [.. input.Prizes],
            EntryCount = n,
            TotalWeight = canonical.TotalWeight,
            EntriesRoot = Hex.Lower(root),
            Commitment = input.Drand is { } named
                ? DrandRules.Commitment(input.ServerSeed.Span, named.Chain, named.Round)
                : Hex.Lower(SHA256.HashData(input.ServerSeed.Span)),
            ServerSeed = Hex.Lower(input.ServerSeed.Span),
            PublicEntropy = Hex.Lower(input.PublicEntropy.Span),
            Drand = input.Drand,
            Forfeited = [.. input.Forfeited],
            Winners = winners,
            Entries = canonicalEntries,
        };
    }

    /// <summary>
    /// <see cref="HashRange"/> split at RFC 6962's largest power of two below the range size, the two subtrees hashed
    /// in parallel until a range has at most <paramref name="grain"/> leaves.
    /// </summary>
    private static void HashRangeParallel(
        CanonicalEntries canonical, IReadOnlyList<DrawEntry> entries, DrawEntry[] canonicalEntries, long[] tree, int start, int end, byte[] root, int grain)
    {
        var size = end - start;
        if (size <= grain)
        {
            HashRange(canonical, entries, canonicalEntries, tree, start, end, root);
            return;
        }

        var middle = start + MerkleTree.LargestPowerOfTwoBelow(size);
        var left = new byte[MerkleTree.HashSize];
        var right = new byte[MerkleTree.HashSize];
        Parallel.Invoke(
            () => HashRangeParallel(canonical, entries, canonicalEntries, tree, start, middle, left, grain),
            () => HashRangeParallel(canonical, entries, canonicalEntries, tree, middle, end, right, grain));
        MerkleTree.NodeHash(left, right, root);
    }

    /// <summary>Hashes the leaves of canonical positions [start, end) into their subtree root; fills their tree slots and canonical copies.</summary>
    /// <remarks>
    /// The leaves are gathered in batches before they are hashed: the reads of a batch (order, entry, id bytes) are
    /// independent random accesses whose cache misses the processor overlaps, instead of one miss between hashes.
    /// </remarks>
    private static void HashRange(CanonicalEntries canonical, IReadOnlyList<DrawEntry> entries, DrawEntry[] canonicalEntries, long[] tree, int start, int end, byte[] root)
    {
        const int stride = 3 + CanonicalEntries.MaxIdBytes + 4;
        var order = canonical.Order;
        using var builder = new MerkleTree.RootBuilder();
        var buffer = new byte[GatherBatch * stride];
        Span<int> lengths = stackalloc int[GatherBatch];
        for (var batchStart = start; batchStart < end; batchStart += GatherBatch)
        {
            var count = Math.Min(GatherBatch, end - batchStart);
            for (var j = 0; j < count; j++)
            {
                var i = batchStart + j;
                var index = order[i];
                var entry = entries[index];
                lengths[j] = canonical.WriteLeafInput(index, entry.Weight, buffer.AsSpan(j * stride, stride));
                tree[i + 1] = entry.Weight;
                canonicalEntries[i] = entry;
            }

            for (var j = 0; j < count; j++)
            {
                builder.AddLeafInput(buffer.AsSpan(j * stride, lengths[j]));
            }
        }

        builder.Finish(root);
    }

    private static DrawWinner Select(
        DrawStream stream, FenwickSelector selector, IReadOnlyList<DrawEntry> entries, int[] order, string tier, int slot, string? replaces)
    {
        var ticket = (long)stream.Uniform((ulong)selector.Total);
        var position = selector.Find(ticket);
        var entry = entries[order[position]];
        selector.Remove(position, entry.Weight);
        return new DrawWinner(tier, slot, entry.Id, ticket, replaces);
    }

    internal static void ValidatePrizes(IReadOnlyList<PrizeTier>? prizes)
    {
        if (prizes is null)
        {
            throw new FairDrawInputException("prizes", "an ordered list of tiers", "the list is missing");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        long slots = 0;
        for (var i = 0; i < prizes.Count; i++)
        {
            var prize = prizes[i] ?? throw new FairDrawInputException($"prizes[{i}]", "a tier {tier, count}", "the tier is null");
            ValidateString(prize.Tier, $"prizes[{i}].tier", "tier names are non-empty, valid Unicode, at most 256 UTF-8 bytes");
            if (!names.Add(prize.Tier))
            {
                throw new FairDrawInputException($"prizes[{i}].tier", "tier names are unique", $"the tier '{prize.Tier}' appears more than once");
            }

            if (prize.Count < 1)
            {
                throw new FairDrawInputException($"prizes[{i}].count", "count >= 1", $"the count is {prize.Count}");
            }

            slots += prize.Count;
            if (slots > MaxSlots)
            {
                throw new FairDrawInputException("prizes", "total slots at most 100000", $"the tiers have more than {MaxSlots} slots");
            }
        }
    }

    internal static byte[] ValidateString(string? value, string field, string rule)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new FairDrawInputException(field, rule, "the value is empty");
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(value)];
        if (Utf8.FromUtf16(value, bytes, out _, out _, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            throw new FairDrawInputException(field, rule, $"'{Hex.Shorten(value)}' contains a lone surrogate");
        }

        if (bytes.Length > CanonicalEntries.MaxIdBytes)
        {
            throw new FairDrawInputException(field, rule, $"the value is {bytes.Length} UTF-8 bytes");
        }

        return bytes;
    }
}
