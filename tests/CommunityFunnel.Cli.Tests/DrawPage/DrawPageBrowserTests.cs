using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Cli.DrawPage;
using CommunityFunnel.Cli.Tests.Browser;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Cli.Tests.DrawPage;

/// <summary>One headless browser and one folder of pages for the whole draw page test class.</summary>
public sealed class DrawPageBrowserFixture : IAsyncLifetime
{
    private HeadlessBrowser? browser;

    public DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("communityfunnel-drawpage-");

    internal HeadlessBrowser Browser => browser ?? throw new InvalidOperationException("No headless Chromium: the tests are skipped.");

    public async Task InitializeAsync()
    {
        if (HeadlessBrowser.BinaryPath is not null || HeadlessBrowser.Required)
        {
            browser = await HeadlessBrowser.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        Folder.Delete(recursive: true);
    }
}

/// <summary>
/// The page <c>draw page</c> writes, opened in headless Chromium: the JavaScript fair-draw/v1 against the spec vectors,
/// the C# engine's random draws, tampered proofs, both crypto paths, the member lookup, phone width and languages.
/// </summary>
public sealed partial class DrawPageBrowserTests(DrawPageBrowserFixture fixture) : IClassFixture<DrawPageBrowserFixture>
{
    private const string Done = "document.getElementById('verdict').hasAttribute('data-verdict')";

    public static TheoryData<string, string> VectorCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in VectorNames())
        {
            data.Add(name, "webcrypto");
            data.Add(name, "js");
        }

        return data;
    }

    public static TheoryData<string, string> TamperCases()
    {
        var data = new TheoryData<string, string>();
        var i = 0;
        foreach (var name in Tampers.Keys)
        {
            data.Add(name, i++ % 2 == 0 ? "webcrypto" : "js");
        }

        return data;
    }

    [BrowserTheory]
    [MemberData(nameof(VectorCases))]
    public async Task EveryVector_IsValid_WithTheVectorsWinners(string name, string impl)
    {
        var proof = Vector(name)["proof"]!.ToJsonString();

        var page = await OpenAsync(proof, query: "impl=" + impl);

        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal(impl, await page.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        AssertShowsWinners(FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(proof)), await ShownWinnersAsync(page));
        Assert.Equal("true,true,true", await page.TextAsync("Array.from(document.querySelectorAll('#checks li')).map(l => l.getAttribute('data-ok')).join()"));
        await page.CloseAsync();
    }

    [BrowserTheory]
    [InlineData(1, "webcrypto")]
    [InlineData(2, "js")]
    [InlineData(3, "webcrypto")]
    [InlineData(4, "js")]
    [InlineData(5, "webcrypto")]
    [InlineData(6, "js")]
    public async Task RandomDrawsOfTheCSharpEngine_AreValid_AndShowTheSameWinners(int seed, string impl)
    {
        var proof = RandomProof(seed);
        Assert.True(FairDraw.Verify(proof).IsValid);

        var page = await OpenAsync(FairDrawJson.ProofToJson(proof), query: "impl=" + impl);

        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        AssertShowsWinners(proof, await ShownWinnersAsync(page));
        await page.CloseAsync();
    }

    [BrowserTheory]
    [MemberData(nameof(TamperCases))]
    public async Task ATamperedProof_IsInvalid_NamingTheSameFirstDifferenceAsDrawVerify(string tamper, string impl)
    {
        var node = JsonNode.Parse(FairDrawJson.ProofToJson(TamperBase.Value))!;
        Tampers[tamper](node);
        var json = node.ToJsonString();
        var csharp = FairDraw.Verify(FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(json)));
        Assert.False(csharp.IsValid);

        var page = await OpenAsync(json, query: "impl=" + impl);

        Assert.Equal("invalid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal(csharp.Field, await page.TextAsync("document.getElementById('verdict').getAttribute('data-field')"));
        Assert.Equal(csharp.ToString(), await page.TextAsync("document.getElementById('difference-text').textContent"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task WithoutCryptoSubtle_ThePageUsesItsOwnSha256_AndStillVerifies()
    {
        var proof = Vector("forfeits")["proof"]!.ToJsonString();

        var page = await OpenAsync(
            proof, init: "Object.defineProperty(Crypto.prototype, 'subtle', { get: function () { return undefined; } });");

        Assert.Equal("undefined", await page.TextAsync("typeof crypto.subtle"));
        Assert.Equal("js", await page.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task AGlobalFlag_ForcesTheJavaScriptSha256_AndByDefaultWebCryptoChecksIt_ThenItHashes()
    {
        var proof = Vector("single-entry")["proof"]!.ToJsonString();

        var forced = await OpenAsync(proof, init: "window.FAIR_DRAW_FORCE_JS = true;");
        var plain = await OpenAsync(proof);
        var pure = await OpenAsync(proof, query: "impl=webcrypto");

        Assert.Equal("js", await forced.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        Assert.Equal("webcrypto+js", await plain.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        Assert.Contains("checked against WebCrypto on this device", await plain.TextAsync("document.getElementById('verdict-meta').textContent"), StringComparison.Ordinal);
        Assert.Equal("valid", await plain.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal("webcrypto", await pure.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        await forced.CloseAsync();
        await plain.CloseAsync();
        await pure.CloseAsync();
    }

    [BrowserFact]
    public async Task WhenWebCryptoAndThePagesSha256Disagree_WebCryptoDoesAllTheHashing()
    {
        // A WebCrypto that differs from the page's SHA-256 on 1000-byte messages (the self-check has one; a draw has none).
        var page = await OpenAsync(
            Vector("forfeits")["proof"]!.ToJsonString(),
            init: "(function () { var d = SubtleCrypto.prototype.digest; SubtleCrypto.prototype.digest = function (a, data) {" +
                " var p = d.call(this, a, data); return data.byteLength === 1000 ? p.then(function (h) { var b = new Uint8Array(h.slice(0)); b[0] ^= 1; return b.buffer; }) : p; }; })();");

        Assert.Equal("webcrypto", await page.TextAsync("document.getElementById('verdict').getAttribute('data-impl')"));
        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task BothSha256AndHmacPaths_AgreeWithDotNet_AcrossBlockBoundaries()
    {
        var page = await OpenAsync(Vector("single-entry")["proof"]!.ToJsonString());
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            var key = new byte[length % 3 == 0 ? 100 : 32]; // keys longer than a block are hashed first
            random.NextBytes(key);
            foreach (var impl in new[] { "js", "webcrypto" })
            {
                Assert.Equal(
                    Convert.ToHexStringLower(SHA256.HashData(data)),
                    await page.TextAsync($"FairDrawV1.hashHex('sha256', '', '{Convert.ToHexStringLower(data)}', '{impl}')"));
                Assert.Equal(
                    Convert.ToHexStringLower(HMACSHA256.HashData(key, data)),
                    await page.TextAsync($"FairDrawV1.hashHex('hmac', '{Convert.ToHexStringLower(key)}', '{Convert.ToHexStringLower(data)}', '{impl}')"));
            }
        }

        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Rfc6962Vectors_RootsAndAuditPaths_WithBothPaths()
    {
        var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc6962-merkle.json")))!;
        var leaves = vectors["leavesHex"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();
        var page = await OpenAsync(Vector("single-entry")["proof"]!.ToJsonString());
        foreach (var impl in new[] { "js", "webcrypto" })
        {
            Assert.Equal(vectors["emptyTreeRoot"]!.GetValue<string>(), await page.TextAsync($"FairDrawV1.rootOfLeafData([], '{impl}')"));
            foreach (var root in vectors["roots"]!.AsArray())
            {
                var size = root!["treeSize"]!.GetValue<int>();
                var list = ToJsArray(leaves.Take(size));
                Assert.Equal(root["root"]!.GetValue<string>(), await page.TextAsync($"FairDrawV1.rootOfLeafData({list}, '{impl}')"));
            }

            foreach (var inclusion in vectors["inclusion"]!.AsArray())
            {
                var size = inclusion!["treeSize"]!.GetValue<int>();
                var index = inclusion["leafIndex"]!.GetValue<int>();
                var result = await page.EvaluateAsync($"FairDrawV1.inclusionOfLeafData({ToJsArray(leaves.Take(size))}, {index}, '{impl}')");
                Assert.True(result["valid"]!.GetValue<bool>());
                Assert.True(JsonNode.DeepEquals(inclusion["path"], result["path"]), $"{impl} leaf {index} of {size}: {result.ToJsonString()}");
            }
        }

        await page.CloseAsync();
    }

    [BrowserTheory]
    [InlineData("webcrypto")]
    [InlineData("js")]
    public async Task MemberLookup_FindsTheEntry_WithItsWeight_AndChecksItsPathAgainstTheRoot(string impl)
    {
        var proof = RandomProof(3);
        var member = proof.Entries[proof.Entries.Count / 2];
        var inclusion = FairDraw.GetInclusionProof(proof, member.Id);
        var page = await OpenAsync(FairDrawJson.ProofToJson(proof), query: "impl=" + impl);

        await LookUpAsync(page, member.Id);

        Assert.Equal("valid", await page.TextAsync("document.getElementById('lookup-result').getAttribute('data-inclusion')"));
        Assert.Equal(member.Weight.ToString(CultureInfo.InvariantCulture), await page.TextAsync("document.querySelector('#lookup-result [data-field=weight]').textContent"));
        Assert.Equal(
            string.Join(",", inclusion.Path),
            await page.TextAsync("Array.from(document.querySelectorAll('#lookup-result [data-field=path] div')).map(d => d.textContent).join()"));

        await LookUpAsync(page, member.Id + "-not-entered");
        Assert.Equal("absent", await page.TextAsync("document.getElementById('lookup-result').getAttribute('data-inclusion')"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task MemberLookup_AgainstAPublishedRootTheEntriesDoNotGive_FailsThePath()
    {
        var proof = JsonNode.Parse(FairDrawJson.ProofToJson(RandomProof(4)))!;
        var member = proof["entries"]![0]!["id"]!.GetValue<string>();
        proof["entriesRoot"] = new string('0', 64);
        var page = await OpenAsync(proof.ToJsonString());

        await LookUpAsync(page, member);

        Assert.Equal("invalid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal("invalid", await page.TextAsync("document.getElementById('lookup-result').getAttribute('data-inclusion')"));
        await page.CloseAsync();
    }

    [BrowserTheory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task AtPhoneWidth_NothingScrollsSideways_VerdictFirst_AndAScreenshotIsKept(string lang)
    {
        var proof = RandomProof(5) with { DrawId = "weekly-抽奖-" + new string('x', 120) };
        proof = FairDraw.Run(new DrawInput(
            proof.DrawId, proof.Prizes, proof.Entries, Convert.FromHexString(proof.ServerSeed), Convert.FromHexString(proof.PublicEntropy), proof.Forfeited));
        var page = await OpenAsync(FairDrawJson.ProofToJson(proof), lang: lang, width: 390, mobile: true);
        await LookUpAsync(page, proof.Winners[0].Entry!);

        Assert.True(await page.FitsWidthAsync());
        Assert.Equal("verdict", await page.TextAsync("document.querySelector('main').firstElementChild.id"));
        Assert.True((await page.EvaluateAsync("document.getElementById('verdict').getBoundingClientRect().top < 120")).GetValue<bool>());
        var png = Path.Combine(HeadlessBrowser.ArtifactsFolder, $"draw-page-390-{lang}.png");
        await page.ScreenshotAsync(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(png)[..4]);
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task TheLanguage_FollowsTheBrowser_LangSetsTheDefault_AndTheButtonSwitches()
    {
        var proof = Vector("forfeits")["proof"]!.ToJsonString();

        var chineseBrowser = await OpenAsync(proof, locale: "zh-CN");
        var englishBrowser = await OpenAsync(proof, locale: "en-US");
        var chineseDefault = await OpenAsync(proof, lang: "zh-CN", locale: "en-US");

        Assert.Equal("验证通过：中奖结果由公开的数据算出", await chineseBrowser.TextAsync("document.getElementById('verdict-text').textContent"));
        Assert.Equal("zh-CN", await chineseBrowser.TextAsync("document.documentElement.lang"));
        Assert.Equal("Verified: the winners follow from the published inputs", await englishBrowser.TextAsync("document.getElementById('verdict-text').textContent"));
        Assert.Equal("这次抽奖公平吗？自己验证", await chineseDefault.TextAsync("document.getElementById('title').textContent"));

        await chineseDefault.EvaluateAsync("document.getElementById('lang-switch').click()");
        Assert.Equal("Is this draw fair? Check it yourself", await chineseDefault.TextAsync("document.getElementById('title').textContent"));
        Assert.Equal("Verified: the winners follow from the published inputs", await chineseDefault.TextAsync("document.getElementById('verdict-text').textContent"));
        await chineseDefault.EvaluateAsync("document.getElementById('lang-switch').click()");
        Assert.Equal("放弃与替补", await chineseDefault.TextAsync("document.getElementById('forfeits-title').textContent"));

        var tampered = JsonNode.Parse(proof)!;
        tampered["commitment"] = new string('1', 64);
        var invalid = await OpenAsync(tampered.ToJsonString(), lang: "zh-CN");
        Assert.Equal("验证未通过：这份证明对不上", await invalid.TextAsync("document.getElementById('verdict-text').textContent"));
        Assert.StartsWith("第一处不一致", await invalid.TextAsync("document.getElementById('difference').textContent"), StringComparison.Ordinal);

        foreach (var page in new[] { chineseBrowser, englishBrowser, chineseDefault, invalid })
        {
            await page.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task ImplWebCrypto_WithoutCryptoSubtle_SaysTheCheckCouldNotRun()
    {
        var page = await OpenAsync(
            Vector("single-entry")["proof"]!.ToJsonString(), query: "impl=webcrypto",
            init: "Object.defineProperty(Crypto.prototype, 'subtle', { get: function () { return undefined; } });");

        Assert.Equal("invalid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal("The check could not run", await page.TextAsync("document.getElementById('verdict-text').textContent"));
        Assert.Contains("crypto.subtle", await page.TextAsync("document.getElementById('difference').textContent"), StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task TheLangQuery_WinsOverLangAndTheBrowser()
    {
        var page = await OpenAsync(Vector("single-entry")["proof"]!.ToJsonString(), query: "lang=en", lang: "zh-CN", locale: "zh-CN");

        Assert.Equal("Is this draw fair? Check it yourself", await page.TextAsync("document.getElementById('title').textContent"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task TheEntropySource_IsShownAsStated_AndPrintableEntropyAlsoAsText()
    {
        var proof = FairDraw.Run(new DrawInput(
            "d-1", [new PrizeTier("first", 1)], [new DrawEntry("m-1", 1)], new byte[32], Encoding.ASCII.GetBytes("2 5 12 8 10")));
        var file = Path.Combine(fixture.Folder.FullName, "entropy.html");
        await File.WriteAllTextAsync(file, DrawPageWriter.Render(Encoding.UTF8.GetBytes(FairDrawJson.ProofToJson(proof)), "en", "福彩3D <2026-12-06>"));
        var stated = await fixture.Browser.OpenAsync(file, readyExpression: Done);
        var unstated = await OpenAsync(Vector("single-entry")["proof"]!.ToJsonString());

        Assert.Equal(
            "福彩3D <2026-12-06> — as text: \"2 5 12 8 10\"",
            await stated.TextAsync("document.querySelector('[data-field=entropySource]').textContent"));
        Assert.Equal(
            "not stated (the proof carries only the bytes)",
            await unstated.TextAsync("document.querySelector('[data-field=entropySource]').textContent"));
        await stated.CloseAsync();
        await unstated.CloseAsync();
    }

    [BrowserFact]
    public async Task MemberLookup_OfAWinner_SaysWhatItWon()
    {
        var proof = Vector("seed-article-tiers")["proof"]!;
        var winner = proof["winners"]![0]!;
        var page = await OpenAsync(proof.ToJsonString());

        await LookUpAsync(page, winner["entry"]!.GetValue<string>());

        Assert.Equal(
            $"This entry won: {winner["tier"]!.GetValue<string>()} #1",
            await page.TextAsync("document.querySelector('#lookup-result .won').textContent"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task AnEntryIdLikeMarkup_IsShownAsText_AndCannotCloseTheScript()
    {
        const string Hostile = "</script><img src=x onerror=\"window.pwned=1\">";
        var proof = FairDraw.Run(new DrawInput(
            "d-<!--", [new PrizeTier("first", 1)], [new DrawEntry(Hostile, 2), new DrawEntry("m-1", 1)], new byte[32], Array.Empty<byte>()));

        var page = await OpenAsync(FairDrawJson.ProofToJson(proof));

        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal("undefined", await page.TextAsync("typeof window.pwned"));
        Assert.Equal(0, (await page.EvaluateAsync("document.querySelectorAll('img').length")).GetValue<int>());
        await page.CloseAsync();
    }

    // ------------------------------------------------------------------ data

    private static readonly Lazy<DrawProof> TamperBase = new(() =>
    {
        var first = RandomProof(11, forfeits: 0);
        var input = new DrawInput(
            first.DrawId, first.Prizes, first.Entries, Convert.FromHexString(first.ServerSeed), Convert.FromHexString(first.PublicEntropy),
            [first.Winners[1].Entry!]);
        return FairDraw.Run(input);
    });

    private static readonly Dictionary<string, Action<JsonNode>> Tampers = new()
    {
        ["version"] = p => p["version"] = "fair-draw/v2",
        ["drawId"] = p => p["drawId"] = p["drawId"]!.GetValue<string>() + "-x",
        ["prizes.count"] = p => p["prizes"]![0]!["count"] = p["prizes"]![0]!["count"]!.GetValue<int>() + 1,
        ["prizes.tier"] = p => p["prizes"]![0]!["tier"] = "grand",
        ["entryCount"] = p => p["entryCount"] = p["entryCount"]!.GetValue<long>() - 1,
        ["totalWeight"] = p => p["totalWeight"] = p["totalWeight"]!.GetValue<long>() + 1,
        ["entriesRoot"] = p => p["entriesRoot"] = Flip(p["entriesRoot"]!.GetValue<string>()),
        ["commitment"] = p => p["commitment"] = Flip(p["commitment"]!.GetValue<string>()),
        ["serverSeed"] = p => p["serverSeed"] = Flip(p["serverSeed"]!.GetValue<string>()),
        ["serverSeed.uppercase"] = p => p["serverSeed"] = p["serverSeed"]!.GetValue<string>().ToUpperInvariant(),
        ["serverSeed.short"] = p => p["serverSeed"] = p["serverSeed"]!.GetValue<string>()[2..],
        ["publicEntropy"] = p => p["publicEntropy"] = Flip(p["publicEntropy"]!.GetValue<string>()),
        ["publicEntropy.emptied"] = p => p["publicEntropy"] = "",
        ["forfeited.notAWinner"] = p => p["forfeited"]![0] = p["entries"]![0]!["id"]!.GetValue<string>() == p["winners"]![0]!["entry"]!.GetValue<string>()
            ? p["entries"]![1]!["id"]!.GetValue<string>() : p["entries"]![0]!["id"]!.GetValue<string>(),
        ["forfeited.removed"] = p => p["forfeited"] = new JsonArray(),
        ["winners.entry"] = p => p["winners"]![0]!["entry"] = p["winners"]![2]!["entry"]!.GetValue<string>(),
        ["winners.ticket"] = p => p["winners"]![1]!["ticket"] = p["winners"]![1]!["ticket"]!.GetValue<long>() + 1,
        ["winners.tier"] = p => p["winners"]![0]!["tier"] = "second",
        ["winners.slot"] = p => p["winners"]![0]!["slot"] = 1,
        ["winners.replaces"] = p => p["winners"]![p["winners"]!.AsArray().Count - 1]!["replaces"] = p["winners"]![0]!["entry"]!.GetValue<string>(),
        ["winners.removed"] = p => p["winners"]!.AsArray().RemoveAt(p["winners"]!.AsArray().Count - 1),
        ["entries.id"] = p => p["entries"]![3]!["id"] = p["entries"]![3]!["id"]!.GetValue<string>() + "x",
        ["entries.weight"] = p => p["entries"]![5]!["weight"] = p["entries"]![5]!["weight"]!.GetValue<long>() + 1,
        ["entries.weightAndTotal"] = p =>
        {
            p["entries"]![5]!["weight"] = p["entries"]![5]!["weight"]!.GetValue<long>() + 1;
            p["totalWeight"] = p["totalWeight"]!.GetValue<long>() + 1;
        },
        ["entries.weightZero"] = p => p["entries"]![2]!["weight"] = 0,
        ["entries.order"] = p =>
        {
            var entries = p["entries"]!.AsArray();
            var first = entries[0]!.DeepClone();
            entries[0] = entries[1]!.DeepClone();
            entries[1] = first;
        },
        ["entries.duplicate"] = p => p["entries"]![4]!["id"] = p["entries"]![3]!["id"]!.GetValue<string>(),
        ["entries.removed"] = p => p["entries"]!.AsArray().RemoveAt(7),
    };

    private static string Flip(string hex) => hex[..^1] + (hex[^1] == '0' ? '1' : '0');

    private static IEnumerable<string> VectorNames() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "fair-draw-v1.json")))!["cases"]!
            .AsArray().Select(c => c!["name"]!.GetValue<string>());

    private static JsonNode Vector(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "fair-draw-v1.json")))!["cases"]!
            .AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private static readonly string[] IdShapes = ["m-{0}", "会员-{0}", "🎉{0}", "！{0}", "é{0}", "e\u0301{0}", "Ω-{0}-ü", "😀-{0}", "\uFF01-{0}"];

    /// <summary>A seeded random draw of the C# engine: unicode ids, some heavy weights, forfeits, sometimes no entropy.</summary>
    internal static DrawProof RandomProof(int seed, int? forfeits = null, int? entryCount = null)
    {
        var random = new Random(seed);
        var n = entryCount ?? random.Next(1, 300);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<DrawEntry>(n);
        while (entries.Count < n)
        {
            var id = string.Format(CultureInfo.InvariantCulture, IdShapes[random.Next(IdShapes.Length)], random.Next(1_000_000));
            if (random.Next(40) == 0)
            {
                id += new string('長', 80); // 240 more UTF-8 bytes: close to the 256-byte limit
            }

            if (ids.Add(id))
            {
                var weight = random.Next(10) == 0 ? (long)uint.MaxValue - random.Next(1000) : random.Next(1, 12);
                entries.Add(new DrawEntry(id, weight));
            }
        }

        var prizes = new List<PrizeTier> { new("first", 1), new("second", random.Next(1, 4)), new("三等奖", random.Next(1, 20)) };
        var serverSeed = new byte[32];
        random.NextBytes(serverSeed);
        var entropy = new byte[seed % 3 == 0 ? 0 : random.Next(1, 64)];
        random.NextBytes(entropy);
        var input = new DrawInput($"draw-{seed}", prizes, entries, serverSeed, entropy);
        var proof = FairDraw.Run(input);
        var lose = forfeits ?? random.Next(0, 4);
        var forfeited = new List<string>();
        var current = proof.Winners.Select(w => w.Entry!).ToList();
        for (var f = 0; f < lose && current.Count > 0; f++)
        {
            var id = current[random.Next(current.Count)];
            forfeited.Add(id);
            current.Remove(id);
            var next = FairDraw.Run(input with { Forfeited = forfeited });
            var replacement = next.Winners[^1].Entry;
            if (replacement is not null)
            {
                current.Add(replacement); // a replacement may forfeit in turn
            }
        }

        return FairDraw.Run(input with { Forfeited = forfeited });
    }

    // ------------------------------------------------------------------ helpers

    private async Task<BrowserPage> OpenAsync(
        string proofJson, string? query = null, string? lang = null, string? locale = null, int width = 1280, bool mobile = false, string? init = null)
    {
        var file = Path.Combine(fixture.Folder.FullName, Guid.NewGuid().ToString("N") + ".html");
        await File.WriteAllTextAsync(file, DrawPageWriter.Render(Encoding.UTF8.GetBytes(proofJson), lang, null));
        return await fixture.Browser.OpenAsync(file, width, mobile ? 844 : 900, mobile, Done, query, init, locale ?? "en-US");
    }

    private static async Task LookUpAsync(BrowserPage page, string id)
    {
        await page.EvaluateAsync(
            "(function () { var r = document.getElementById('lookup-result'); r.removeAttribute('data-inclusion');" +
            $" document.getElementById('member-id').value = {JsonValue.Create(id)!.ToJsonString()};" +
            " document.getElementById('lookup-button').click(); return true; })()");
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!(await page.EvaluateAsync("(function () { var a = document.getElementById('lookup-result').getAttribute('data-inclusion'); return a !== null && a !== 'waiting'; })()")).GetValue<bool>())
        {
            Assert.True(DateTime.UtcNow < until, "the lookup did not finish");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonNode> ShownWinnersAsync(BrowserPage page) =>
        JsonNode.Parse(await page.TextAsync(
            "JSON.stringify({ winners: Array.from(document.querySelectorAll('#winners tbody tr')).map(r => [r.getAttribute('data-entry'), r.getAttribute('data-ticket')])," +
            " replacements: Array.from(document.querySelectorAll('#forfeits li[data-replaces]')).map(r => [r.getAttribute('data-replaces'), r.getAttribute('data-entry'), r.getAttribute('data-ticket')]) })"))!;

    private static void AssertShowsWinners(DrawProof proof, JsonNode shown)
    {
        var winners = proof.Winners.Where(w => w.Replaces is null)
            .Select(w => new JsonArray(w.Entry ?? "", w.Ticket?.ToString(CultureInfo.InvariantCulture) ?? ""));
        var replacements = proof.Winners.Where(w => w.Replaces is not null)
            .Select(w => new JsonArray(w.Replaces, w.Entry ?? "", w.Ticket?.ToString(CultureInfo.InvariantCulture) ?? ""));
        Assert.Equal(new JsonArray([.. winners]).ToJsonString(), shown["winners"]!.ToJsonString());
        Assert.Equal(new JsonArray([.. replacements]).ToJsonString(), shown["replacements"]!.ToJsonString());
    }

    private static string ToJsArray(IEnumerable<string> items) => new JsonArray([.. items.Select(i => (JsonNode)i)]).ToJsonString();
}
