using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

/// <summary>
/// fair-draw/v1 written as plainly as possible, straight from the spec: byte-array sort, recursive Merkle tree,
/// an HMAC per word, and the O(n·k) walk over the remaining entries. The engine is compared against it.
/// </summary>
internal static class ReferenceFairDraw
{
    public static (string Root, List<DrawWinner> Winners) Run(DrawInput input)
    {
        var sorted = input.Entries
            .Select(e => (Entry: e, Bytes: Encoding.UTF8.GetBytes(e.Id)))
            .OrderBy(e => e.Bytes, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
        var leaves = sorted.Select(e =>
        {
            var data = new List<byte> { 0x00, unchecked((byte)(e.Bytes.Length >> 8)), unchecked((byte)e.Bytes.Length) };
            data.AddRange(e.Bytes);
            var w = (uint)e.Entry.Weight;
            data.AddRange(unchecked([(byte)(w >> 24), (byte)(w >> 16), (byte)(w >> 8), (byte)w]));
            return SHA256.HashData(data.ToArray());
        }).ToList();
        var root = Mth(leaves);

        var msg = new List<byte>(Encoding.ASCII.GetBytes("community-funnel/fair-draw/v1"));
        var id = Encoding.UTF8.GetBytes(input.DrawId);
        msg.AddRange(U32(id.Length));
        msg.AddRange(id);
        msg.AddRange(root);
        msg.AddRange(U32(input.PublicEntropy.Length));
        msg.AddRange(input.PublicEntropy.ToArray());
        var key = HMACSHA256.HashData(input.ServerSeed.Span, msg.ToArray());
        ulong word = 0;

        ulong Next()
        {
            var block = HMACSHA256.HashData(key, BitConverter.GetBytes(word / 4).Reverse().ToArray());
            var offset = (int)(word % 4) * 8;
            word++;
            return block.Skip(offset).Take(8).Aggregate(0UL, (acc, b) => (acc << 8) | b);
        }

        long Uniform(long n)
        {
            var r = (ulong)(((System.Numerics.BigInteger.One << 64) % n));
            while (true)
            {
                var x = Next();
                if (x <= ulong.MaxValue - r)
                {
                    return (long)(x % (ulong)n);
                }
            }
        }

        var remaining = sorted.Select(e => e.Entry).ToList();
        var winners = new List<DrawWinner>();

        DrawWinner? Pick(string tier, int slot, string? replaces)
        {
            if (remaining.Count == 0)
            {
                return null;
            }

            var t = Uniform(remaining.Sum(e => e.Weight));
            long running = 0;
            for (var i = 0; i < remaining.Count; i++)
            {
                running += remaining[i].Weight;
                if (running > t)
                {
                    var winner = remaining[i];
                    remaining.RemoveAt(i);
                    return new DrawWinner(tier, slot, winner.Id, t, replaces);
                }
            }

            throw new InvalidOperationException("unreachable");
        }

        foreach (var p in input.Prizes)
        {
            for (var s = 0; s < p.Count; s++)
            {
                if (Pick(p.Tier, s, null) is { } w)
                {
                    winners.Add(w);
                }
            }
        }

        foreach (var f in input.Forfeited)
        {
            var lost = winners.Last(w => w.Entry == f);
            winners.Add(Pick(lost.Tier, lost.Slot, f) ?? new DrawWinner(lost.Tier, lost.Slot, null, null, f));
        }

        return (Convert.ToHexString(root).ToLowerInvariant(), winners);
    }

    private static byte[] U32(int v) => unchecked([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);

    private static byte[] Mth(List<byte[]> hashes)
    {
        if (hashes.Count == 1)
        {
            return hashes[0];
        }

        var k = 1;
        while (k * 2 < hashes.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Mth(hashes[..k]), .. Mth(hashes[k..])]);
    }
}
