using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Tests.Rewards.Coupons;

public sealed class CouponCodesTests
{
    private static readonly CouponCodeOptions Default = new();

    [Fact]
    public void TheDefaultPattern_HasNoLookAlikes_AndItsCodesAreWellFormed()
    {
        Assert.Empty(CouponCodes.Validate(Default));
        foreach (var c in "0O1IL")
        {
            Assert.DoesNotContain(c, CouponCodeOptions.DefaultCharset);
        }

        Assert.Equal(31, CouponCodeOptions.DefaultCharset.Length);
        var generator = new CouponCodeGenerator(Default);
        for (var i = 0; i < 1000; i++)
        {
            var code = generator.Next();
            Assert.Equal(2 + 8 + 1, code.Length);
            Assert.StartsWith("CF", code, StringComparison.Ordinal);
            Assert.True(CouponCodes.IsWellFormed(code, Default), code);
            Assert.Equal(code, CouponCodes.Normalize(code, Default));
        }
    }

    [Fact]
    public void TheDocsExampleCode_IsWellFormed_AndItsNeighbourTyposAreNot()
    {
        Assert.True(CouponCodes.IsWellFormed("CF7KQ4M2XHH", Default)); // docs/rewards.md, "Codes"
        Assert.False(CouponCodes.IsWellFormed("CF7KQ4M2XHR", Default));
        Assert.False(CouponCodes.IsWellFormed("CFK7Q4M2XHH", Default));
        Assert.Equal("CF7KQ4M2XHH", CouponCodes.Normalize("ｃｆ７ｋｑ４－ｍ２ｘｈｈ", Default));
    }

    [Fact]
    public void ASeed_GivesTheSameCodes_AndNoSeedGivesOthers()
    {
        var a = Enumerable.Range(0, 20).Select(_ => new CouponCodeGenerator(Default, 42)).Select(g => g.Next()).Distinct().ToList();
        Assert.Single(a);
        var g1 = new CouponCodeGenerator(Default, 42);
        var g2 = new CouponCodeGenerator(Default, 42);
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => g1.Next()), Enumerable.Range(0, 50).Select(_ => g2.Next()));
        var system = new CouponCodeGenerator(Default);
        Assert.Equal(200, Enumerable.Range(0, 200).Select(_ => system.Next()).Distinct().Count());
    }

    [Fact]
    public void EveryCharacterOfTheCharset_IsUsed_RoughlyEvenly()
    {
        var generator = new CouponCodeGenerator(Default with { CheckCharacter = false, Prefix = string.Empty }, 7);
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 31_000 / 8 * 8; i++)
        {
            foreach (var c in generator.Next())
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        Assert.Equal(31, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 6500, 9500)); // expected 8000 each
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ASingleSubstitution_IsAlwaysRejected_BeforeAnyLookup(int seed)
    {
        var generator = new CouponCodeGenerator(Default, seed);
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var code = generator.Next().ToCharArray();
            var at = 2 + random.Next(9); // a random character or the check character
            var was = code[at];
            char typo;
            do
            {
                typo = CouponCodeOptions.DefaultCharset[random.Next(31)];
            }
            while (typo == was);
            code[at] = typo;
            Assert.False(CouponCodes.IsWellFormed(new string(code), Default), new string(code));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void ASwapOfTwoNeighbours_IsAlwaysRejected(int seed)
    {
        var generator = new CouponCodeGenerator(Default, seed);
        var random = new Random(seed);
        var tried = 0;
        for (var i = 0; i < 2000; i++)
        {
            var code = generator.Next().ToCharArray();
            var at = 2 + random.Next(8); // swaps at..at+1, the last one with the check character
            if (code[at] == code[at + 1])
            {
                continue;
            }

            (code[at], code[at + 1]) = (code[at + 1], code[at]);
            tried++;
            Assert.False(CouponCodes.IsWellFormed(new string(code), Default), new string(code));
        }

        Assert.True(tried > 1800);
    }

    [Fact]
    public void EveryOneCharacterChange_OfOneCode_IsRejected_Exhaustively()
    {
        var code = new CouponCodeGenerator(Default, 11).Next();
        var wellFormed = 0;
        for (var at = 0; at < code.Length; at++)
        {
            foreach (var c in CouponCodeOptions.DefaultCharset)
            {
                var changed = code[..at] + c + code[(at + 1)..];
                if (changed != code && CouponCodes.IsWellFormed(changed, Default))
                {
                    wellFormed++;
                }
            }
        }

        Assert.Equal(0, wellFormed);
        Assert.False(CouponCodes.IsWellFormed(code[..^1], Default));
        Assert.False(CouponCodes.IsWellFormed(code + "2", Default));
        Assert.False(CouponCodes.IsWellFormed("XX" + code[2..], Default));
    }

    [Fact]
    public void WithoutACheckCharacter_OnlyTheShapeIsChecked()
    {
        var options = Default with { CheckCharacter = false, Charset = "ABCDEFGHJK", Length = 6, Prefix = "VIP", Suffix = "X9", ExpectedCodes = 10_000 };
        Assert.Empty(CouponCodes.Validate(options));
        var code = new CouponCodeGenerator(options, 1).Next();
        Assert.Matches("^VIP[A-HJK]{6}X9$", code);
        Assert.True(CouponCodes.IsWellFormed("VIPAAAAAAX9", options));
        Assert.False(CouponCodes.IsWellFormed("VIPAAAAAZX9", options));
    }

    [Theory]
    [InlineData("cfabcd-2345", "CFABCD2345")]
    [InlineData(" CF abcd 2345 ", "CFABCD2345")]
    [InlineData("ｃｆＡＢＣＤ－２３４５", "CFABCD2345")] // full-width, as a Chinese input method types it
    [InlineData("cf_ab.cd—23 45", "CFABCD2345")]
    [InlineData("CFABCDー2345", "CFABCD2345")] // the katakana long-vowel mark a Japanese or Chinese IME gives for '-'
    [InlineData("CF\tABCD\u30002345", "CFABCD2345")] // a tab and an ideographic space
    public void Normalize_FoldsCaseSpacesDashesAndFullWidth(string typed, string expected) =>
        Assert.Equal(expected, CouponCodes.Normalize(typed, Default with { CheckCharacter = false }));

    [Fact]
    public void Normalize_MapsLookAlikes_ToTheOneTheCharsetHolds()
    {
        // A charset holding 0 and 1 (not O, I, L): typed O becomes 0, I and l become 1.
        var digits = new CouponCodeOptions { Charset = "0123456789", CheckCharacter = false, Prefix = string.Empty };
        Assert.Equal("1001", CouponCodes.Normalize("IOol", digits));

        // The default holds none of them: they stay, and the code is not well formed (no lookup).
        Assert.Equal("CFO", CouponCodes.Normalize("cfo", Default));

        // The prefix keeps its own characters: "C0" typed as "CO".
        var prefixed = new CouponCodeOptions { Prefix = "C0", Charset = CouponCodeOptions.DefaultCharset };
        var code = new CouponCodeGenerator(prefixed, 5).Next();
        Assert.Equal(code, CouponCodes.Normalize("co" + code[2..].ToLowerInvariant(), prefixed));
        Assert.True(CouponCodes.IsWellFormed(CouponCodes.Normalize("co-" + code[2..].ToLowerInvariant(), prefixed), prefixed));
    }

    [Fact]
    public void BadOptions_AreRefused_EveryFieldNamed()
    {
        var bad = new CouponCodeOptions { Charset = "ABCDEFO0", Length = 40, Prefix = "cf-", Suffix = new string('A', 17), ExpectedCodes = 0 };
        var errors = CouponCodes.Validate(bad);
        var message = string.Join("\n", errors);
        Assert.Contains("Charset: holds the look-alikes 0/O", message, StringComparison.Ordinal);
        Assert.Contains("Charset: with CheckCharacter its size must be a prime (e.g. 31, the default), it is 8", message, StringComparison.Ordinal);
        Assert.Contains("Length: must be 1 to 32, it is 40", message, StringComparison.Ordinal);
        Assert.Contains("Prefix: only upper-case ASCII letters and digits are allowed", message, StringComparison.Ordinal);
        Assert.Contains("Suffix: at most 16 characters, it has 17", message, StringComparison.Ordinal);
        Assert.Contains("ExpectedCodes: must be at least 1, it is 0", message, StringComparison.Ordinal);
        Assert.Equal(6, errors.Count);
        var thrown = Assert.Throws<ArgumentException>(() => new CouponCodeGenerator(bad));
        Assert.Contains("Length: must be 1 to 32", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("Charset: duplicate", string.Join(";", CouponCodes.Validate(new CouponCodeOptions { Charset = "AAB" })).Replace("every character must be distinct", "duplicate", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Charset: only upper-case ASCII letters and digits", string.Join(";", CouponCodes.Validate(new CouponCodeOptions { Charset = "abc", CheckCharacter = false })), StringComparison.Ordinal);
        Assert.Contains("Length: with CheckCharacter it must be below the charset's size - 1 (5 at most), it is 6", string.Join(";", CouponCodes.Validate(new CouponCodeOptions { Charset = "ABCDEFG", Length = 6, ExpectedCodes = 1 })), StringComparison.Ordinal);
    }

    [Fact]
    public void APatternTooSmallForTheExpectedCount_IsRefused_SayingItsCapacity()
    {
        var small = new CouponCodeOptions { Length = 4, ExpectedCodes = 10_000 };
        Assert.Equal(923_521, CouponCodes.Capacity(small)); // 31^4
        var error = Assert.Single(CouponCodes.Validate(small));
        Assert.Equal("ExpectedCodes: 10000 codes do not fit: 4 characters from 31 hold 923521 codes, and at most 1% of them (9235) may be issued; make Length longer", error);
        Assert.Empty(CouponCodes.Validate(small with { ExpectedCodes = 9235 }));
        Assert.Equal(852_891_037_441, CouponCodes.Capacity(Default));
        Assert.Equal(long.MaxValue, CouponCodes.Capacity(Default with { Length = 32 }));
    }
}
