namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// How coupon codes look: <see cref="Prefix"/>, <see cref="Length"/> random characters from <see cref="Charset"/>,
/// an optional check character, <see cref="Suffix"/>. The default, <c>CF</c> + 8 random characters + a check
/// character, holds 31^8 (about 8.5 × 10^11) codes. Validated with <see cref="CouponCodes.Validate"/>, every bad
/// field named.
/// </summary>
public sealed record CouponCodeOptions
{
    /// <summary>The default charset: digits and upper-case letters without the look-alikes 0/O, 1/I/L (31 characters, a prime).</summary>
    public const string DefaultCharset = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>
    /// The characters of the random part and of the check character: distinct upper-case ASCII letters and digits.
    /// With <see cref="CheckCharacter"/> its size must be a prime (31 by default), which is what lets the check
    /// character catch every single substitution and every swap of two neighbours.
    /// </summary>
    public string Charset { get; init; } = DefaultCharset;

    /// <summary>How many random characters (1 to 32). Default 8.</summary>
    public int Length { get; init; } = 8;

    /// <summary>Fixed text before the random part (upper-case ASCII letters and digits, up to 16). Default <c>CF</c>.</summary>
    public string Prefix { get; init; } = "CF";

    /// <summary>Fixed text after the random part and check character (upper-case ASCII letters and digits, up to 16). Default empty.</summary>
    public string Suffix { get; init; } = string.Empty;

    /// <summary>
    /// Whether a check character follows the random part (default <see langword="true"/>): a weighted sum modulo
    /// the charset's size, so one mistyped character or two swapped neighbours are refused before any lookup.
    /// </summary>
    public bool CheckCharacter { get; init; } = true;

    /// <summary>
    /// How many codes the shop expects to issue over the pattern's life (default 1 000 000). It must be at most 1% of
    /// the pattern's capacity, so that a new random code collides with an issued one less than once in a hundred
    /// tries; a store retries a collision with a new code.
    /// </summary>
    public long ExpectedCodes { get; init; } = 1_000_000;
}
