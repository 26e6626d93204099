using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli.Tests;

public sealed class DrawCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cf-draw-cli-" + Guid.NewGuid().ToString("N"));

    public DrawCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonNode Case(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "fair-draw-v1.json")))!["cases"]!
            .AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("forfeits")]
    [InlineData("unicode-ids")]
    [InlineData("no-entropy")]
    public void Run_PrintsTheVectorProof(string name)
    {
        var vector = Case(name);
        var input = Write("input.json", vector["input"]!.ToJsonString());

        var result = CliRunner.Run("draw", "run", "--input", input);

        Assert.Equal(0, result.ExitCode);
        Assert.True(JsonNode.DeepEquals(vector["proof"], JsonNode.Parse(result.Out)), result.Out);
    }

    [Fact]
    public void Run_WithOut_WritesTheFile_ThatVerifies()
    {
        var input = Write("input.json", Case("seed-article-tiers")["input"]!.ToJsonString());
        var proof = Path.Combine(_dir, "proof.json");

        Assert.Equal(0, CliRunner.Run("draw", "run", "--input", input, "--out", proof).ExitCode);
        var verify = CliRunner.Run("draw", "verify", proof);

        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("valid", verify.Out.Trim());
    }

    [Fact]
    public void Run_WithoutForfeited_IsAccepted()
    {
        var input = Case("single-entry")["input"]!.AsObject();
        input.Remove("forfeited");

        var result = CliRunner.Run("draw", "run", "--input", Write("input.json", input.ToJsonString()));

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Verify_TamperedTicket_ExitsOne_NamingTheFirstDifference()
    {
        var proof = Case("forfeits")["proof"]!.DeepClone();
        var ticket = proof["winners"]![1]!["ticket"]!.GetValue<long>();
        proof["winners"]![1]!["ticket"] = ticket + 1;

        var result = CliRunner.Run("draw", "verify", Write("proof.json", proof.ToJsonString()));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"winners[1].ticket: expected {ticket}, actual {ticket + 1}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ADrandProof_IsValid_AndAClosePastItsRound_IsNamed()
    {
        var beacon = new CommunityFunnel.Lottery.DrandBeacon(
            CommunityFunnel.Lottery.DrandChain.Quicknet.ChainHash, 1000, CommunityFunnel.Lottery.DrandChain.Quicknet.TimeOf(1000).AddSeconds(-60),
            "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd",
            "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39");
        var proof = CommunityFunnel.Lottery.FairDraw.Run(new CommunityFunnel.Lottery.DrawInput(
            "d", [new CommunityFunnel.Lottery.PrizeTier("first", 1)], [new CommunityFunnel.Lottery.DrawEntry("a", 1), new CommunityFunnel.Lottery.DrawEntry("b", 2)],
            new byte[32], Convert.FromHexString(beacon.Randomness)) { Drand = beacon });
        var json = JsonNode.Parse(CommunityFunnel.Lottery.FairDrawJson.ProofToJson(proof))!;

        var valid = CliRunner.Run("draw", "verify", Write("proof.json", json.ToJsonString()));
        json["drand"]!["closedAt"] = "2023-08-23T15:59:25Z";
        var late = CliRunner.Run("draw", "verify", Write("late.json", json.ToJsonString()));

        Assert.Equal(0, valid.ExitCode);
        Assert.Equal("valid", valid.Out.Trim());
        Assert.Equal(1, late.ExitCode);
        Assert.Contains(
            "drand.closedAt: expected at or before \"2023-08-23T15:59:24Z\" (when round 1000 was published), actual \"2023-08-23T15:59:25Z\"", late.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedSeed_IsCaughtByTheCommitment()
    {
        var proof = Case("two-entries-three-slots")["proof"]!.DeepClone();
        proof["serverSeed"] = new string('a', 64);

        var result = CliRunner.Run("draw", "verify", Write("proof.json", proof.ToJsonString()));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("commitment:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "malformed JSON")]
    [InlineData("[]", "expected an object")]
    [InlineData("{\"version\":\"fair-draw/v1\"}", "required field")]
    public void Verify_MalformedProof_ExitsTwo(string text, string message)
    {
        var result = CliRunner.Run("draw", "verify", Write("proof.json", text));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void Verify_DeeplyNestedJson_ExitsTwo()
    {
        var deep = "{\"prizes\":" + new string('[', 5000) + new string(']', 5000) + "}";

        var result = CliRunner.Run("draw", "verify", Write("deep.json", deep));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("prizes", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HugeFile_IsRefusedBeforeReading()
    {
        var path = Path.Combine(_dir, "huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(1L << 30); // sparse: 1 GiB that takes no disk space
        }

        var result = CliRunner.Run("draw", "verify", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("limit is 536870912 bytes", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MaxBytes_CapsSmallerFilesToo()
    {
        var path = Write("proof.json", Case("single-entry")["proof"]!.ToJsonString());

        var result = CliRunner.Run("draw", "verify", path, "--max-bytes", "100");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("size cap", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weight", "0", "1 <= weight <= 4294967295")]
    [InlineData("weight", "4294967296", "1 <= weight <= 4294967295")]
    [InlineData("weight", "1.5", "whole number")]
    [InlineData("id", "\"m-1\"", "ids are unique")]
    [InlineData("id", "\"\\ud800\"", "lone surrogate")]
    public void Run_HostileEntries_ExitTwo_NamingTheRule(string field, string json, string rule)
    {
        var input = Case("two-entries-three-slots")["input"]!.AsObject();
        var entries = input["entries"]!.AsArray();
        entries[0]!["id"] = "m-1";
        entries[1]!["id"] = "m-2";
        var text = input.ToJsonString().Replace($"\"{field}\":" + (field == "id" ? "\"m-2\"" : entries[1]!["weight"]!.ToJsonString()), $"\"{field}\":{json}", StringComparison.Ordinal);

        var result = CliRunner.Run("draw", "run", "--input", Write("input.json", text));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(rule, result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("serverSeed", "\"xyz\"", "not hex")]
    [InlineData("serverSeed", "\"00\"", "exactly 32 bytes")]
    [InlineData("drawId", "\"\"", "drawId")]
    public void Run_HostileScalars_ExitTwo(string field, string json, string message)
    {
        var input = Case("single-entry")["input"]!.AsObject();
        input[field] = JsonNode.Parse(json);

        var result = CliRunner.Run("draw", "run", "--input", Write("input.json", input.ToJsonString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Inclusion_PrintsTheVectorPath_AndVerifyInclusionChecksIt()
    {
        var vector = Case("seed-article-tiers");
        var proof = Write("proof.json", vector["proof"]!.ToJsonString());
        var id = vector["inclusion"]!["entry"]!.GetValue<string>();
        var weight = vector["proof"]!["entries"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id)!["weight"]!.GetValue<long>();

        var result = CliRunner.Run("draw", "inclusion", "--proof", proof, "--entry", id);

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!.AsObject();
        Assert.Equal(["entry", "leafIndex", "treeSize", "path", "root"], json.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(vector["inclusion"]!["path"], json["path"]));
        Assert.Equal(vector["proof"]!["entriesRoot"]!.GetValue<string>(), json["root"]!.GetValue<string>());

        var file = Write("inclusion.json", result.Out);
        var root = json["root"]!.GetValue<string>();
        Assert.Equal(0, CliRunner.Run("draw", "verify-inclusion", file, "--weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture), "--root", root).ExitCode);
        Assert.Equal(1, CliRunner.Run("draw", "verify-inclusion", file, "--weight", (weight + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        Assert.Equal(1, CliRunner.Run("draw", "verify-inclusion", file, "--weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture), "--root", new string('0', 64)).ExitCode);
    }

    [Fact]
    public void Inclusion_UnknownEntry_ExitsTwo()
    {
        var proof = Write("proof.json", Case("single-entry")["proof"]!.ToJsonString());

        var result = CliRunner.Run("draw", "inclusion", "--proof", proof, "--entry", "nobody");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'nobody' is not an entry", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc3797_PrintsKeyAndSelection_OfTheRfcExample()
    {
        var result = CliRunner.Run("draw", "rfc3797", "--pool-size", "25", "--count", "16", "--source", "9319", "--source", "2 5 12 8 10", "--source", "9 18 26 34 41 45");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("9319./2.5.8.10.12./9.18.26.34.41.45./", json["key"]!.GetValue<string>());
        Assert.Equal([17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4], json["selected"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public void Rfc3797_LeadingZeros_AreDropped()
    {
        var result = CliRunner.Run("draw", "rfc3797", "--pool-size", "154", "--count", "12",
            "--source", "7 8 11 17 19 25 46", "--source", "08285182", "--source", "60115701", "--source", "2 3 18 26 32 33 42");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("7.8.11.17.19.25.46./8285182./60115701./2.3.18.26.32.33.42./", json["key"]!.GetValue<string>());
        Assert.Equal([138, 151, 89, 112, 117, 145, 118, 143, 144, 122, 95, 139], json["selected"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Theory]
    [InlineData("draw")]
    [InlineData("draw", "frob")]
    [InlineData("draw", "run")]
    [InlineData("draw", "verify")]
    [InlineData("draw", "rfc3797", "--pool-size", "5", "--count", "6", "--source", "1")]
    [InlineData("draw", "rfc3797", "--pool-size", "5", "--count", "2")]
    [InlineData("draw", "rfc3797", "--pool-size", "5", "--count", "2", "--source", "x")]
    [InlineData("draw", "run", "--input", "/nonexistent/input.json")]
    [InlineData("draw", "verify", "a.json", "--bogus", "1")]
    public void BadUsage_ExitsTwo(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Err);
    }
}
