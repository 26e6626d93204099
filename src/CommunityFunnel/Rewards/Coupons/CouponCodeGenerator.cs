using System.Security.Cryptography;

namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// Makes coupon codes of a <see cref="CouponCodeOptions"/> pattern, from <see cref="RandomNumberGenerator"/>
/// (or, for tests and reproducible demos only, from a seed). Uniqueness is the store's job: it refuses a code
/// already issued and asks for another. Thread-safe.
/// </summary>
public sealed class CouponCodeGenerator
{
    private readonly CouponCodeOptions _options;
    private readonly Random? _seeded;
    private readonly object _gate = new();

    /// <summary>A generator drawing from <see cref="RandomNumberGenerator"/>.</summary>
    /// <param name="options">The pattern; invalid options throw an <see cref="ArgumentException"/> naming every bad field.</param>
    public CouponCodeGenerator(CouponCodeOptions options)
    {
        CouponCodes.ThrowIfInvalid(options);
        _options = options;
    }

    /// <summary>A deterministic generator: the same seed gives the same codes. For tests and demos, never for codes a shop hands out.</summary>
    /// <param name="options">The pattern.</param>
    /// <param name="seed">The seed.</param>
    public CouponCodeGenerator(CouponCodeOptions options, int seed)
        : this(options) => _seeded = new Random(seed);

    /// <summary>The pattern.</summary>
    public CouponCodeOptions Options => _options;

    /// <summary>A new code (normalised form: what <see cref="CouponCodes.Normalize"/> gives for it).</summary>
    /// <returns>The code.</returns>
    public string Next()
    {
        var o = _options;
        var buffer = new char[o.Prefix.Length + o.Length + (o.CheckCharacter ? 1 : 0) + o.Suffix.Length];
        o.Prefix.CopyTo(buffer);
        var part = buffer.AsSpan(o.Prefix.Length, o.Length);
        if (_seeded is null)
        {
            RandomNumberGenerator.GetItems(o.Charset, part);
        }
        else
        {
            lock (_gate)
            {
                _seeded.GetItems(o.Charset.AsSpan(), part);
            }
        }

        var at = o.Prefix.Length + o.Length;
        if (o.CheckCharacter)
        {
            buffer[at++] = CouponCodes.CheckOf(part, o.Charset);
        }

        o.Suffix.CopyTo(buffer.AsSpan(at));
        return new string(buffer);
    }
}
