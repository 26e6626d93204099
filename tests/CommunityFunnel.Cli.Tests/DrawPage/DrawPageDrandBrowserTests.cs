using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Cli.Tests.Browser;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Cli.Tests.DrawPage;

/// <summary>
/// fair-draw/v1.1 on the page: proofs bound to a drand round named at creation (recorded quicknet and mainnet rounds),
/// valid ones and every drand field changed, with the page naming the same first difference as <c>draw verify</c>.
/// </summary>
public sealed partial class DrawPageBrowserTests
{
    // Recorded relay answers: quicknet round 1000, mainnet round 5347804 (randomness = SHA-256 of the signature).
    private const string QuicknetRandomness = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";
    private const string QuicknetSignature = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    private const string MainnetRandomness = "a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe";
    private const string MainnetSignature =
        "92daf5745411a415b539caebda0b523fa20d4d12b28eb2fe427decdf5dcc976046a9c83b54f1db991fa191ffca8fcbdc07563036664f6ba47dcf00593559286f667574f6b0a2ba0be2683463b5bf3472e5696ac28b75d5b2223dbb98a56c96a3";

    public static TheoryData<string, string> DrandValidCases() => new()
    {
        { "quicknet", "webcrypto" },
        { "quicknet", "js" },
        { "mainnet", "webcrypto" },
        { "no-signature", "js" },
        { "closed-exactly-at-the-round", "webcrypto" },
        { "closed-with-a-fraction", "js" },
    };

    public static TheoryData<string, string> DrandTamperCases()
    {
        var data = new TheoryData<string, string>();
        var i = 0;
        foreach (var name in DrandTampers.Keys)
        {
            data.Add(name, i++ % 2 == 0 ? "webcrypto" : "js");
        }

        return data;
    }

    [BrowserTheory]
    [MemberData(nameof(DrandValidCases))]
    public async Task ADrandProof_IsValid_AndThePageShowsTheRoundAndItsCheck(string name, string impl)
    {
        var proof = DrandProof(name);
        Assert.True(FairDraw.Verify(proof).IsValid);

        var page = await OpenAsync(FairDrawJson.ProofToJson(proof), query: "impl=" + impl);

        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        AssertShowsWinners(proof, await ShownWinnersAsync(page));
        Assert.Equal("true,true,true,true", await page.TextAsync("Array.from(document.querySelectorAll('#checks li')).map(l => l.getAttribute('data-ok')).join()"));
        Assert.Equal("drand", await page.TextAsync("document.querySelectorAll('#checks li')[3].getAttribute('data-check')"));
        var chain = name == "mainnet" ? DrandChain.Mainnet : DrandChain.Quicknet;
        var published = chain.TimeOf(proof.Drand!.Round).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"{chain.Name} round {proof.Drand.Round}, published {published}",
            await page.TextAsync("document.querySelector('[data-field=drandRound]').textContent"));
        Assert.Contains("BLS signature is not checked", await page.TextAsync("document.querySelector('[data-field=entropySource]').textContent"), StringComparison.Ordinal);
        Assert.Equal("Commitment (SHA-256 of the seed and the drand round)", await page.TextAsync("document.querySelector('[data-field=commitment]').previousElementSibling.textContent"));
        await page.CloseAsync();
    }

    [BrowserTheory]
    [MemberData(nameof(DrandTamperCases))]
    public async Task ATamperedDrandProof_IsInvalid_NamingTheSameFirstDifferenceAsDrawVerify(string tamper, string impl)
    {
        var node = JsonNode.Parse(FairDrawJson.ProofToJson(DrandProof("quicknet")))!;
        DrandTampers[tamper](node);
        var json = node.ToJsonString();
        var csharp = FairDraw.Verify(FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(json)));
        Assert.False(csharp.IsValid);
        Assert.Equal(ExpectedDrandField(tamper), csharp.Field);

        var page = await OpenAsync(json, query: "impl=" + impl);

        Assert.Equal("invalid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.Equal(csharp.Field, await page.TextAsync("document.getElementById('verdict').getAttribute('data-field')"));
        Assert.Equal(csharp.ToString(), await page.TextAsync("document.getElementById('difference-text').textContent"));
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task ADrandProof_AtPhoneWidth_FitsAndAScreenshotIsKept()
    {
        var page = await OpenAsync(FairDrawJson.ProofToJson(DrandProof("quicknet")), lang: "en", width: 390, mobile: true);

        Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
        Assert.True(await page.FitsWidthAsync());
        var png = Path.Combine(HeadlessBrowser.ArtifactsFolder, "draw-page-390-drand-en.png");
        await page.ScreenshotAsync(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(png)[..4]);
        await page.CloseAsync();
    }

    /// <summary>A random draw of the C# engine bound to a recorded drand round, closed 30 s before it (or as named).</summary>
    private static DrawProof DrandProof(string name)
    {
        var (chain, round, randomness, signature) = name == "mainnet"
            ? (DrandChain.Mainnet, 5347804L, MainnetRandomness, MainnetSignature)
            : (DrandChain.Quicknet, 1000L, QuicknetRandomness, (string?)QuicknetSignature);
        var closedAt = name switch
        {
            "closed-exactly-at-the-round" => chain.TimeOf(round),
            "closed-with-a-fraction" => chain.TimeOf(round).AddTicks(-1_234_567),
            _ => chain.TimeOf(round).AddSeconds(-30),
        };
        var basis = RandomProof(7, forfeits: 0);
        var input = new DrawInput(basis.DrawId, basis.Prizes, basis.Entries, Convert.FromHexString(basis.ServerSeed), Convert.FromHexString(randomness))
        {
            Drand = new DrandBeacon(chain.ChainHash, round, closedAt, randomness, name == "no-signature" ? null : signature),
        };
        var first = FairDraw.Run(input);
        return FairDraw.Run(input with { Forfeited = [first.Winners[0].Entry!] });
    }

    private static JsonNode Drand(JsonNode p) => p["drand"]!;

    private static readonly Dictionary<string, Action<JsonNode>> DrandTampers = new()
    {
        ["drand.round.later"] = p => Drand(p)["round"] = 1001,
        ["drand.round.beforeTheClose"] = p => Drand(p)["round"] = 900,
        ["drand.round.zero"] = p => Drand(p)["round"] = 0,
        ["drand.round.above2^32-1"] = p => Drand(p)["round"] = 4294967296L,
        ["drand.chain.unknown"] = p => Drand(p)["chain"] = Flip(Drand(p)["chain"]!.GetValue<string>()),
        ["drand.chain.mainnet"] = p => Drand(p)["chain"] = DrandChain.Mainnet.ChainHash,
        ["drand.randomness"] = p => Drand(p)["randomness"] = Flip(Drand(p)["randomness"]!.GetValue<string>()),
        ["drand.randomness.short"] = p => Drand(p)["randomness"] = Drand(p)["randomness"]!.GetValue<string>()[2..],
        ["drand.signature"] = p => Drand(p)["signature"] = Flip(Drand(p)["signature"]!.GetValue<string>()),
        ["drand.signature.notHex"] = p => Drand(p)["signature"] = "zz",
        ["drand.closedAt.afterTheRound"] = p => Drand(p)["closedAt"] = "2023-08-23T15:59:24.5000000Z",
        ["drand.closedAt.aTickAfterTheRound"] = p => Drand(p)["closedAt"] = "2023-08-23T15:59:24.0000001Z",
        ["drand.closedAt.aMinuteLater"] = p => Drand(p)["closedAt"] = "2023-08-23T16:00:24Z",
        ["publicEntropy"] = p => p["publicEntropy"] = Flip(p["publicEntropy"]!.GetValue<string>()),
        ["version"] = p => p["version"] = "fair-draw/v1",
        ["drand.removed"] = p =>
        {
            p.AsObject().Remove("drand");
            p["version"] = "fair-draw/v1";
        },
        ["winners.ticket"] = p => p["winners"]![0]!["ticket"] = p["winners"]![0]!["ticket"]!.GetValue<long>() + 1,
    };

    private static string ExpectedDrandField(string tamper) => tamper switch
    {
        "drand.round.later" or "drand.removed" => "commitment", // the commitment published at creation binds the round
        "drand.round.beforeTheClose" or "drand.round.zero" or "drand.round.above2^32-1" or "drand.chain.mainnet" => "drand.round",
        "drand.chain.unknown" => "drand.chain",
        "drand.randomness" or "drand.randomness.short" or "drand.signature" => "drand.randomness",
        "drand.signature.notHex" => "drand.signature",
        "drand.closedAt.afterTheRound" or "drand.closedAt.aTickAfterTheRound" or "drand.closedAt.aMinuteLater" => "drand.closedAt",
        "publicEntropy" => "publicEntropy",
        "version" => "version",
        "winners.ticket" => "winners[0].ticket",
        _ => throw new ArgumentOutOfRangeException(nameof(tamper), tamper, null),
    };
}
