using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommunityFunnel.Lottery;

/// <summary>The HMAC-SHA256 random stream of fair-draw/v1 sections 4 and 5, with reused buffers.</summary>
internal sealed class DrawStream
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("community-funnel/fair-draw/v1");

    private readonly byte[] _drawKey = new byte[32];
    private readonly byte[] _block = new byte[32];
    private readonly byte[] _counter = new byte[8];
    private ulong _nextBlock;
    private int _word = 4;

    public DrawStream(ReadOnlySpan<byte> serverSeed, ReadOnlySpan<byte> drawIdUtf8, ReadOnlySpan<byte> entriesRoot, ReadOnlySpan<byte> publicEntropy)
    {
        var message = new byte[Domain.Length + 4 + drawIdUtf8.Length + entriesRoot.Length + 4 + publicEntropy.Length];
        var span = message.AsSpan();
        Domain.CopyTo(span);
        span = span[Domain.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)drawIdUtf8.Length));
        drawIdUtf8.CopyTo(span[4..]);
        span = span[(4 + drawIdUtf8.Length)..];
        entriesRoot.CopyTo(span);
        span = span[entriesRoot.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)publicEntropy.Length));
        publicEntropy.CopyTo(span[4..]);
        HMACSHA256.HashData(serverSeed, message, _drawKey);
    }

    /// <summary>How many words have been read so far.</summary>
    public ulong WordsRead { get; private set; }

    public ulong NextWord()
    {
        if (_word == 4)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_counter, _nextBlock);
            HMACSHA256.HashData(_drawKey, _counter, _block);
            _nextBlock++;
            _word = 0;
        }

        var value = BinaryPrimitives.ReadUInt64BigEndian(_block.AsSpan(_word * 8, 8));
        _word++;
        WordsRead++;
        return value;
    }

    /// <summary>A uniform integer below <paramref name="n"/> by rejection sampling (section 5).</summary>
    public ulong Uniform(ulong n)
    {
        if (n == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "n must be at least 1.");
        }

        // r = 2^64 mod n; accept x <= 2^64 - 1 - r.
        var r = ((ulong.MaxValue % n) + 1) % n;
        var limit = ulong.MaxValue - r;
        while (true)
        {
            var x = NextWord();
            if (x <= limit)
            {
                return x % n;
            }
        }
    }
}
