namespace CommunityFunnel.Lottery;

/// <summary>Lowercase hex, as every fair-draw/v1 document uses.</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) =>
#if NET9_0_OR_GREATER
        Convert.ToHexStringLower(bytes);
#else
        Convert.ToHexString(bytes).ToLowerInvariant();
#endif

    /// <summary>Decodes hex (either case); throws a <see cref="FormatException"/> naming the field.</summary>
    public static byte[] Decode(string? text, string field)
    {
        if (text is null)
        {
            throw new FormatException($"{field}: missing hex value");
        }

        if (text.Length % 2 != 0)
        {
            throw new FormatException($"{field}: hex has an odd number of digits ({text.Length})");
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException($"{field}: '{Shorten(text)}' is not hex (bad character '{c}')");
            }
        }

        return Convert.FromHexString(text);
    }

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length % 2 != 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(text);
        return true;
    }

    public static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
