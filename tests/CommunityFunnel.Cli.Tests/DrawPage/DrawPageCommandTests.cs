using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CommunityFunnel.Cli.Tests.DrawPage;

/// <summary><c>community-funnel draw page</c> without a browser: what the file holds, exit codes, errors.</summary>
public sealed partial class DrawPageCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cf-draw-page-" + Guid.NewGuid().ToString("N"));

    public DrawPageCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonNode Proof(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "fair-draw-v1.json")))!["cases"]!
            .AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!["proof"]!;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Page_WritesOneSelfContainedFile_WithTheProofEmbeddedAsPublished()
    {
        var proof = Write("proof.json", Proof("unicode-ids").ToJsonString());
        var html = Path.Combine(_dir, "draw.html");

        var result = CliRunner.Run("draw", "page", "--proof", proof, "--out", html);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"wrote {html}: the proof is valid", result.Out.Trim());
        var text = File.ReadAllText(html);
        var embedded = EmbeddedProof().Match(text);
        Assert.True(embedded.Success);
        Assert.True(JsonNode.DeepEquals(Proof("unicode-ids"), JsonNode.Parse(embedded.Groups[1].Value)));

        // No network: no external script, style, font, image or link of any kind.
        Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<(script|img|link|iframe)[^>]*\s(src|href)=", text);
        Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"module\"", text, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(text, "<script"));
    }

    [Fact]
    public void Page_EscapesEveryLessThanSign_SoAnIdCannotEndTheScriptElement()
    {
        var proof = Proof("single-entry");
        proof["drawId"] = "</script><script>alert(1)</script><!--";
        var html = Path.Combine(_dir, "draw.html");

        var result = CliRunner.Run("draw", "page", "--proof", Write("proof.json", proof.ToJsonString()), "--out", html);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"wrote {html}: the proof is ", result.Out.Trim(), StringComparison.Ordinal);
        var embedded = EmbeddedProof().Match(File.ReadAllText(html)).Groups[1].Value;
        Assert.DoesNotContain("<", embedded, StringComparison.Ordinal);
        Assert.Equal(proof["drawId"]!.GetValue<string>(), JsonNode.Parse(embedded)!["drawId"]!.GetValue<string>());
    }

    [Fact]
    public void Page_LangAndEntropySource_GoIntoThePageOptions()
    {
        var html = Path.Combine(_dir, "draw.html");

        var result = CliRunner.Run(
            "draw", "page", "--proof", Write("proof.json", Proof("forfeits").ToJsonString()), "--out", html,
            "--lang", "zh-CN", "--entropy-source", "福彩3D <2026-12-06>");

        Assert.Equal(0, result.ExitCode);
        var text = File.ReadAllText(html);
        Assert.Contains("<html lang=\"zh-CN\">", text, StringComparison.Ordinal);
        var config = JsonNode.Parse(ConfigJson().Match(text).Groups[1].Value)!;
        Assert.Equal("zh-CN", config["lang"]!.GetValue<string>());
        Assert.Equal("福彩3D <2026-12-06>", config["entropySource"]!.GetValue<string>());
    }

    [Fact]
    public void Page_MissingProofFile_ExitsTwo_NamingIt()
    {
        var result = CliRunner.Run("draw", "page", "--proof", Path.Combine(_dir, "nope.json"), "--out", Path.Combine(_dir, "d.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.json", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "d.html")));
    }

    [Theory]
    [InlineData("{\"version\":", "proof")]
    [InlineData("[]", "proof")]
    public void Page_MalformedProof_ExitsTwo_WithTheReason_AndWritesNothing(string json, string named)
    {
        var html = Path.Combine(_dir, "d.html");

        var result = CliRunner.Run("draw", "page", "--proof", Write("bad.json", json), "--out", html);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("community-funnel draw: ", result.Err, StringComparison.Ordinal);
        Assert.Contains(named, result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(html));
    }

    [Fact]
    public void Page_AHexFieldThatIsNotHex_ExitsTwo_NamingTheField()
    {
        var proof = Proof("single-entry");
        proof["serverSeed"] = "zz";

        var result = CliRunner.Run("draw", "page", "--proof", Write("p.json", proof.ToJsonString()), "--out", Path.Combine(_dir, "d.html"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("serverSeed", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lang", "fr")]
    [InlineData("--max-bytes", "10")]
    public void Page_BadOptions_ExitTwo(string option, string value)
    {
        var result = CliRunner.Run(
            "draw", "page", "--proof", Write("p.json", Proof("single-entry").ToJsonString()), "--out", Path.Combine(_dir, "d.html"), option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Err);
    }

    [Fact]
    public void Page_WithoutOut_ExitsTwo()
    {
        var result = CliRunner.Run("draw", "page", "--proof", Write("p.json", Proof("single-entry").ToJsonString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.Err, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"draw-proof\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex EmbeddedProof();

    [GeneratedRegex("<script type=\"application/json\" id=\"draw-page-config\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ConfigJson();
}
