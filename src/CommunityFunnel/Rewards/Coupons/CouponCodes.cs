using System.Globalization;
using System.Text;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// Coupon code rules: the pattern's capacity, validation of <see cref="CouponCodeOptions"/>, typed-input
/// normalisation and the check character.
/// </summary>
public static class CouponCodes
{
    // Look-alike groups: a typed member of a group becomes the group's member in the charset, when exactly one is.
    private static readonly string[] Confusions = ["0O", "1IL"];

    /// <summary>How many distinct codes the pattern holds: charset size ^ length (saturating at <see cref="long.MaxValue"/>).</summary>
    /// <param name="options">The pattern.</param>
    /// <returns>The capacity.</returns>
    public static long Capacity(CouponCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var n = (long)options.Charset.Length;
        long capacity = 1;
        for (var i = 0; i < options.Length; i++)
        {
            if (n != 0 && capacity > long.MaxValue / n)
            {
                return long.MaxValue;
            }

            capacity *= n;
        }

        return capacity;
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its field; empty when they are valid.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> Validate(CouponCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var charset = options.Charset ?? string.Empty;
        var charsetOk = true;
        if (charset.Length < 2)
        {
            errors.Add($"{nameof(CouponCodeOptions.Charset)}: at least 2 characters are needed, it has {charset.Length}");
            charsetOk = false;
        }

        if (charset.Any(c => !IsCodeChar(c)))
        {
            errors.Add($"{nameof(CouponCodeOptions.Charset)}: only upper-case ASCII letters and digits are allowed, '{charset.First(c => !IsCodeChar(c))}' is not one");
            charsetOk = false;
        }

        if (charset.Distinct().Count() != charset.Length)
        {
            errors.Add($"{nameof(CouponCodeOptions.Charset)}: every character must be distinct");
            charsetOk = false;
        }

        if (charsetOk)
        {
            foreach (var group in Confusions)
            {
                var present = group.Where(c => charset.Contains(c, StringComparison.Ordinal)).ToArray();
                if (present.Length > 1)
                {
                    errors.Add($"{nameof(CouponCodeOptions.Charset)}: holds the look-alikes {string.Join("/", present)}; keep at most one of them");
                }
            }
        }

        if (options.CheckCharacter && charset.Length >= 2 && !IsPrime(charset.Length))
        {
            errors.Add($"{nameof(CouponCodeOptions.Charset)}: with {nameof(CouponCodeOptions.CheckCharacter)} its size must be a prime (e.g. 31, the default), it is {charset.Length}");
        }

        if (options.Length is < 1 or > 32)
        {
            errors.Add($"{nameof(CouponCodeOptions.Length)}: must be 1 to 32, it is {options.Length}");
        }
        else if (options.CheckCharacter && charsetOk && options.Length + 1 >= charset.Length)
        {
            errors.Add($"{nameof(CouponCodeOptions.Length)}: with {nameof(CouponCodeOptions.CheckCharacter)} it must be below the charset's size - 1 ({charset.Length - 2} at most), it is {options.Length}");
        }

        CheckAffix(errors, nameof(CouponCodeOptions.Prefix), options.Prefix);
        CheckAffix(errors, nameof(CouponCodeOptions.Suffix), options.Suffix);

        if (options.ExpectedCodes < 1)
        {
            errors.Add($"{nameof(CouponCodeOptions.ExpectedCodes)}: must be at least 1, it is {options.ExpectedCodes.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (charsetOk && options.Length is >= 1 and <= 32)
        {
            var capacity = Capacity(options);
            if (options.ExpectedCodes > capacity / 100)
            {
                errors.Add(
                    $"{nameof(CouponCodeOptions.ExpectedCodes)}: {options.ExpectedCodes.ToString(CultureInfo.InvariantCulture)} codes do not fit: {options.Length} characters from {charset.Length} hold "
                    + $"{capacity.ToString(CultureInfo.InvariantCulture)} codes, and at most 1% of them ({(capacity / 100).ToString(CultureInfo.InvariantCulture)}) may be issued; make {nameof(CouponCodeOptions.Length)} longer");
            }
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem when <paramref name="options"/> are not valid.</summary>
    /// <param name="options">The options.</param>
    public static void ThrowIfInvalid(CouponCodeOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid coupon code options: " + string.Join("; ", errors), nameof(options));
        }
    }

    /// <summary>
    /// The code a member typed, as the store keeps it: compatibility forms folded (full-width letters and digits
    /// from a Chinese input method become ASCII), upper case, spaces, dashes, underscores and dots removed, and each
    /// look-alike (O/0, I/1/L) replaced by the one of its group the charset holds (when it holds
    /// exactly one; the prefix and suffix keep their own characters).
    /// </summary>
    /// <param name="input">What was typed.</param>
    /// <param name="options">The code pattern.</param>
    /// <returns>The normalised code (it may still not be well formed).</returns>
    public static string Normalize(string input, CouponCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var folded = input.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '_' or '.' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' or '\u30FC')
            {
                continue;
            }

            sb.Append(c);
        }

        var s = sb.ToString();
        var prefix = options.Prefix ?? string.Empty;
        var suffix = options.Suffix ?? string.Empty;
        if (s.Length < prefix.Length + suffix.Length)
        {
            return s;
        }

        var middle = s.AsSpan(prefix.Length, s.Length - prefix.Length - suffix.Length);
        var mapped = new StringBuilder(s.Length);
        mapped.Append(MapAffix(s.AsSpan(0, prefix.Length), prefix));
        foreach (var c in middle)
        {
            mapped.Append(Map(c, options.Charset));
        }

        mapped.Append(MapAffix(s.AsSpan(s.Length - suffix.Length), suffix));
        return mapped.ToString();
    }

    /// <summary>
    /// Whether <paramref name="code"/> (normalised) has the pattern's shape: prefix, random characters from the
    /// charset, a correct check character, suffix. A code that is not well formed was never issued: it is refused
    /// without a store lookup.
    /// </summary>
    /// <param name="code">A normalised code.</param>
    /// <param name="options">The code pattern.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsWellFormed(string code, CouponCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(options);
        var body = options.Length + (options.CheckCharacter ? 1 : 0);
        if (code.Length != options.Prefix.Length + body + options.Suffix.Length
            || !code.StartsWith(options.Prefix, StringComparison.Ordinal)
            || !code.EndsWith(options.Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var part = code.AsSpan(options.Prefix.Length, body);
        foreach (var c in part)
        {
            if (options.Charset.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return !options.CheckCharacter || CheckOf(part[..options.Length], options.Charset) == part[options.Length];
    }

    /// <summary>
    /// The check character of a random part: with p the charset's size (a prime) and v(c) a character's index, the
    /// one c such that Σ (i + 1)·v(part[i]) + (n + 1)·v(c) ≡ 0 (mod p), n the part's length. The weights 1..n+1
    /// are distinct and non-zero modulo p, so a single substitution changes the sum by w·d and a swap of neighbours
    /// by ±d, with 0 &lt; |d| &lt; p: never a multiple of p.
    /// </summary>
    internal static char CheckOf(ReadOnlySpan<char> part, string charset)
    {
        var p = charset.Length;
        long sum = 0;
        for (var i = 0; i < part.Length; i++)
        {
            sum = (sum + ((i + 1L) * charset.IndexOf(part[i], StringComparison.Ordinal))) % p;
        }

        // v(c) = -sum · (n + 1)^-1 mod p (p prime, so the inverse is (n + 1)^(p - 2)).
        var inverse = ModPow((part.Length + 1) % p, p - 2, p);
        var value = (p - sum) % p * inverse % p;
        return charset[(int)value];
    }

    private static long ModPow(long b, long e, long m)
    {
        long result = 1;
        b %= m;
        while (e > 0)
        {
            if ((e & 1) == 1)
            {
                result = result * b % m;
            }

            b = b * b % m;
            e >>= 1;
        }

        return result;
    }

    private static bool IsPrime(int n)
    {
        if (n < 2)
        {
            return false;
        }

        for (var d = 2; d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCodeChar(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static void CheckAffix(List<string> errors, string name, string? value)
    {
        if (value is null)
        {
            errors.Add($"{name}: must not be null (use an empty string)");
            return;
        }

        if (value.Length > 16)
        {
            errors.Add($"{name}: at most 16 characters, it has {value.Length}");
        }

        if (value.Any(c => !IsCodeChar(c)))
        {
            errors.Add($"{name}: only upper-case ASCII letters and digits are allowed, '{value}' is not");
        }
    }

    private static char Map(char c, string charset)
    {
        if (charset.Contains(c, StringComparison.Ordinal))
        {
            return c;
        }

        foreach (var group in Confusions)
        {
            if (group.Contains(c, StringComparison.Ordinal))
            {
                char? only = null;
                var count = 0;
                foreach (var g in group)
                {
                    if (charset.Contains(g, StringComparison.Ordinal))
                    {
                        only = g;
                        count++;
                    }
                }

                return count == 1 ? only!.Value : c;
            }
        }

        return c;
    }

    // The prefix and suffix are fixed text: a typed look-alike of one of their characters becomes that character.
    private static string MapAffix(ReadOnlySpan<char> typed, string affix)
    {
        var chars = typed.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] != affix[i] && SameGroup(chars[i], affix[i]))
            {
                chars[i] = affix[i];
            }
        }

        return new string(chars);
    }

    private static bool SameGroup(char a, char b) =>
        Confusions.Any(g => g.Contains(a, StringComparison.Ordinal) && g.Contains(b, StringComparison.Ordinal));
}
