using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommunityFunnel.Lottery;

/// <summary>
/// RFC 3797 publicly verifiable selection (the IETF NomCom procedure), exactly as the RFC: the key string from
/// numeric public sources (section 4), then for each pick <c>MD5(u16be(i) || key || u16be(i))</c> as a 128-bit
/// unsigned number modulo the count still remaining (section 5). Also usable to canonicalise published lottery
/// numbers into public entropy for a fair-draw/v1 draw (<see cref="KeyBytes"/>).
/// </summary>
public static class Rfc3797
{
    /// <summary>The most picks a selection can make: the counter is two bytes.</summary>
    public const int MaxCount = 65_536;

    /// <summary>
    /// Builds the key string: for each source its numbers (separated by spaces or commas) without leading zeros,
    /// sorted numerically, each followed by <c>.</c>, the source ended by <c>/</c>. E.g. sources <c>9319</c>,
    /// <c>2 5 12 8 10</c> give <c>9319./2.5.8.10.12./</c>; <c>08285182</c> gives <c>8285182./</c>.
    /// </summary>
    /// <param name="sources">The public sources in their agreed order; each holds one or more whole numbers.</param>
    /// <returns>The key string.</returns>
    /// <exception cref="ArgumentException">A source is empty or holds something that is not a whole number.</exception>
    public static string BuildKey(IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var key = new StringBuilder();
        var index = 0;
        foreach (var source in sources)
        {
            var numbers = (source ?? string.Empty)
                .Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Select(n => Normalise(n, index))
                .ToList();
            if (numbers.Count == 0)
            {
                throw new ArgumentException($"sources[{index}]: the source is empty (rule: RFC 3797 section 4, each source gives at least one number)", nameof(sources));
            }

            numbers.Sort(static (a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b));
            foreach (var n in numbers)
            {
                key.Append(n).Append('.');
            }

            key.Append('/');
            index++;
        }

        if (index == 0)
        {
            throw new ArgumentException("sources: no sources given (rule: RFC 3797 section 4)", nameof(sources));
        }

        return key.ToString();
    }

    /// <summary>The key string as ASCII bytes, e.g. to use as a draw's public entropy.</summary>
    /// <param name="sources">The public sources.</param>
    /// <returns>The key's bytes.</returns>
    public static byte[] KeyBytes(IEnumerable<string> sources) => Encoding.ASCII.GetBytes(BuildKey(sources));

    /// <summary>Selects <paramref name="count"/> of a pool of <paramref name="poolSize"/> (RFC 3797 section 5).</summary>
    /// <param name="key">The key string from <see cref="BuildKey"/>.</param>
    /// <param name="poolSize">The pool size, at least 1.</param>
    /// <param name="count">How many to select, 0 to <paramref name="poolSize"/> (at most 65 536).</param>
    /// <returns>The 1-based original positions of the selected, in selection order.</returns>
    public static IReadOnlyList<int> Select(string key, int poolSize, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (poolSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "poolSize: the pool must have at least 1 member");
        }

        if (count < 0 || count > poolSize || count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count: must be from 0 to the pool size {poolSize} (and at most {MaxCount})");
        }

        var keyBytes = Encoding.ASCII.GetBytes(key);
        var message = new byte[keyBytes.Length + 4];
        keyBytes.CopyTo(message, 2);
        var remaining = Enumerable.Range(1, poolSize).ToList();
        var selected = new List<int>(count);
        Span<byte> digest = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)i);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(message.Length - 2), (ushort)i);
#pragma warning disable CA5351 // RFC 3797 defines the selection with MD5; it is a public, reproducible procedure, not a security primitive here.
            MD5.HashData(message, digest);
#pragma warning restore CA5351
            var value = new UInt128(BinaryPrimitives.ReadUInt64BigEndian(digest), BinaryPrimitives.ReadUInt64BigEndian(digest[8..]));
            var pick = (int)(value % (UInt128)(ulong)remaining.Count);
            selected.Add(remaining[pick]);
            remaining.RemoveAt(pick);
        }

        return selected;
    }

    private static string Normalise(string token, int source)
    {
        foreach (var c in token)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException(
                    $"sources[{source}]: '{Hex.Shorten(token)}' is not a whole number (rule: RFC 3797 section 4, numeric sources)", nameof(source));
            }
        }

        var trimmed = token.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
