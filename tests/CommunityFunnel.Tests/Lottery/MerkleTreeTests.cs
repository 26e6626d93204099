using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

public sealed class MerkleTreeTests
{
    private static byte[] LeafHashes(int count)
    {
        var leaves = Vectors.Load("rfc6962-merkle.json")["leavesHex"]!.AsArray().Take(count).ToList();
        var hashes = new byte[count * 32];
        for (var i = 0; i < count; i++)
        {
            MerkleTree.LeafHash(Convert.FromHexString(leaves[i]!.GetValue<string>()), hashes.AsSpan(i * 32, 32));
        }

        return hashes;
    }

    [Fact]
    public void EmptyTree_IsTheHashOfNothing()
    {
        var expected = Vectors.Load("rfc6962-merkle.json")["emptyTreeRoot"]!.GetValue<string>();
        Assert.Equal(expected, Hex.Lower(MerkleTree.Root([])));
    }

    [Fact]
    public void Roots_MatchRfc6962_ForOneToEightLeaves()
    {
        var roots = Vectors.Load("rfc6962-merkle.json")["roots"]!.AsArray();
        Assert.Equal(8, roots.Count);
        foreach (var r in roots)
        {
            var size = r!["treeSize"]!.GetValue<int>();
            Assert.Equal(r["root"]!.GetValue<string>(), Hex.Lower(MerkleTree.Root(LeafHashes(size))));
        }
    }

    [Fact]
    public void InclusionPaths_MatchRfc6962_AndVerify()
    {
        var cases = Vectors.Load("rfc6962-merkle.json")["inclusion"]!.AsArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var index = c!["leafIndex"]!.GetValue<int>();
            var size = c["treeSize"]!.GetValue<int>();
            var leaves = LeafHashes(size);
            var path = MerkleTree.AuditPath(leaves, index);
            var expectedPath = c["path"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
            var root = Convert.FromHexString(c["root"]!.GetValue<string>());
            var leafHash = Convert.FromHexString(c["leafHash"]!.GetValue<string>());

            Assert.Equal(c["leafHash"]!.GetValue<string>(), Hex.Lower(leaves.AsSpan(index * 32, 32)));
            Assert.Equal(expectedPath, path.Select(p => Hex.Lower(p)));
            Assert.True(MerkleTree.VerifyInclusion(leafHash, index, size, path, root));
            Assert.False(MerkleTree.VerifyInclusion(leafHash, index + 1, size, path, root));
        }
    }

    [Fact]
    public void EveryLeafOfTreesUpTo70_ProvesInclusion_AndNoOtherLeafDoes()
    {
        for (var size = 1; size <= 70; size++)
        {
            var leaves = new byte[size * 32];
            for (var i = 0; i < size; i++)
            {
                MerkleTree.LeafHash(BitConverter.GetBytes(i), leaves.AsSpan(i * 32, 32));
            }

            var root = MerkleTree.Root(leaves);
            Assert.Equal(root, ReferenceMth(leaves));
            for (var m = 0; m < size; m++)
            {
                var path = MerkleTree.AuditPath(leaves, m);
                Assert.True(MerkleTree.VerifyInclusion(leaves.AsSpan(m * 32, 32), m, size, path, root));
                var other = (m + 1) % size;
                if (other != m)
                {
                    Assert.False(MerkleTree.VerifyInclusion(leaves.AsSpan(other * 32, 32), m, size, path, root));
                }
            }
        }
    }

    /// <summary>RFC 6962's recursive definition, written plainly.</summary>
    private static byte[] ReferenceMth(ReadOnlySpan<byte> leaves)
    {
        var n = leaves.Length / 32;
        if (n == 1)
        {
            return leaves.ToArray();
        }

        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        var node = new byte[32];
        MerkleTree.NodeHash(ReferenceMth(leaves[..(k * 32)]), ReferenceMth(leaves[(k * 32)..]), node);
        return node;
    }
}
