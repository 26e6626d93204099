using System.Security.Cryptography;

namespace CommunityFunnel.Lottery;

/// <summary>RFC 6962 section 2.1 Merkle Tree Hash, audit paths and their verification (RFC 9162 2.1.3.2).</summary>
internal static class MerkleTree
{
    public const int HashSize = 32;

    /// <summary>The RFC 6962 leaf hash <c>SHA256(0x00 || data)</c>.</summary>
    public static void LeafHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> buffer = data.Length <= 512 ? stackalloc byte[data.Length + 1] : new byte[data.Length + 1];
        buffer[0] = 0x00;
        data.CopyTo(buffer[1..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>The RFC 6962 interior node hash <c>SHA256(0x01 || left || right)</c>.</summary>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>The root over leaf hashes laid end to end (<c>count * 32</c> bytes); the empty tree is <c>SHA256("")</c>.</summary>
    public static byte[] Root(ReadOnlySpan<byte> leafHashes)
    {
        var root = new byte[HashSize];
        var count = leafHashes.Length / HashSize;
        if (count == 0)
        {
            SHA256.HashData(ReadOnlySpan<byte>.Empty, root);
            return root;
        }

        using var builder = new RootBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Add(leafHashes.Slice(i * HashSize, HashSize));
        }

        builder.Finish(root);
        return root;
    }

    /// <summary>The audit path <c>PATH(m, D[n])</c> over leaf hashes laid end to end.</summary>
    public static List<byte[]> AuditPath(ReadOnlySpan<byte> leafHashes, int m)
    {
        var path = new List<byte[]>();
        AppendPath(leafHashes, m, path);
        return path;
    }

    private static void AppendPath(ReadOnlySpan<byte> leaves, int m, List<byte[]> path)
    {
        var n = leaves.Length / HashSize;
        if (n <= 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            AppendPath(leaves[..(k * HashSize)], m, path);
            path.Add(Root(leaves[(k * HashSize)..]));
        }
        else
        {
            AppendPath(leaves[(k * HashSize)..], m - k, path);
            path.Add(Root(leaves[..(k * HashSize)]));
        }
    }

    /// <summary>Whether <paramref name="path"/> proves leaf <paramref name="leafIndex"/> of a tree of <paramref name="treeSize"/> has the root.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long leafIndex, long treeSize, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (leafIndex < 0 || leafIndex >= treeSize || leafHash.Length != HashSize || root.Length != HashSize)
        {
            return false;
        }

        var fn = leafIndex;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[HashSize];
        leafHash.CopyTo(r);
        foreach (var p in path)
        {
            if (sn == 0 || p.Length != HashSize)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                NodeHash(p, r, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                NodeHash(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }

    public static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    /// <summary>
    /// Computes the RFC 6962 root from leaf hashes fed left to right with O(log n) memory: full left subtrees are
    /// merged as soon as they are complete, the ragged right edge at the end.
    /// </summary>
    internal sealed class RootBuilder : IDisposable
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _node = new byte[1 + (2 * HashSize)];
        private readonly byte[] _stack = new byte[64 * HashSize];
        private readonly long[] _sizes = new long[64];
        private int _depth;

        public long Count { get; private set; }

        /// <summary>Hashes a leaf's input <c>0x00 || data</c> (one reused hash context, no allocation) and adds it.</summary>
        public void AddLeafInput(ReadOnlySpan<byte> prefixedLeaf)
        {
            _sha.AppendData(prefixedLeaf);
            _sha.GetHashAndReset(_stack.AsSpan(_depth * HashSize, HashSize));
            Push();
        }

        public void Add(ReadOnlySpan<byte> leafHash)
        {
            leafHash.CopyTo(_stack.AsSpan(_depth * HashSize, HashSize));
            Push();
        }

        public void Finish(Span<byte> root)
        {
            if (_depth == 0)
            {
                SHA256.HashData(ReadOnlySpan<byte>.Empty, root);
                return;
            }

            while (_depth >= 2)
            {
                Merge();
            }

            _stack.AsSpan(0, HashSize).CopyTo(root);
        }

        public void Dispose() => _sha.Dispose();

        private void Push()
        {
            _sizes[_depth] = 1;
            _depth++;
            Count++;
            while (_depth >= 2 && _sizes[_depth - 1] == _sizes[_depth - 2])
            {
                Merge();
            }
        }

        private void Merge()
        {
            _node[0] = 0x01;
            _stack.AsSpan((_depth - 2) * HashSize, 2 * HashSize).CopyTo(_node.AsSpan(1));
            _sha.AppendData(_node);
            _sha.GetHashAndReset(_stack.AsSpan((_depth - 2) * HashSize, HashSize));
            _sizes[_depth - 2] += _sizes[_depth - 1];
            _depth--;
        }
    }
}
