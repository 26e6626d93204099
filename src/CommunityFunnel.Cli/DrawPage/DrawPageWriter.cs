using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli.DrawPage;

/// <summary>
/// Writes the self-contained draw verification page: the HTML template with the CSS, the proof document (as
/// published, in a <c>&lt;script type="application/json"&gt;</c> with every <c>&lt;</c> escaped), the page options and
/// the two scripts (fair-draw/v1 in JavaScript, the page) put inline. Nothing is loaded from anywhere else.
/// </summary>
internal static class DrawPageWriter
{
    /// <summary>The languages of the page; the first is the default when neither --lang nor the browser says.</summary>
    public static readonly string[] Languages = ["en", "zh-CN"];

    private static readonly Lazy<string> Template = new(() => Resource("draw-page.html"));
    private static readonly Lazy<string> Css = new(() => Resource("draw-page.css"));
    private static readonly Lazy<string> Script = new(() => Resource("draw-page.js") + "\n" + Resource("draw-page-ui.js"));

    /// <summary>Renders the page for the UTF-8 proof document <paramref name="proofJson"/>.</summary>
    /// <param name="proofJson">The proof as published (already read and checked for its shape).</param>
    /// <param name="language">The default language (<c>en</c> or <c>zh-CN</c>), or null to follow the browser.</param>
    /// <param name="entropySource">Where the public entropy came from, as the operator states it, or null.</param>
    public static string Render(ReadOnlySpan<byte> proofJson, string? language, string? entropySource)
    {
        if (proofJson.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            proofJson = proofJson[3..];
        }

        // Inside a JSON document '<' can only stand in a string, where \u003c means the same character;
        // escaping it keeps "</script>" and "<!--" out of the script element.
        var proof = Encoding.UTF8.GetString(proofJson).Trim().Replace("<", "\\u003c", StringComparison.Ordinal);
        var config = new JsonObject
        {
            ["lang"] = language,
            ["entropySource"] = entropySource,
        };
        var configJson = config.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });
        return Template.Value
            .Replace("__LANG__", language ?? "en", StringComparison.Ordinal)
            .Replace("/*__CSS__*/", Css.Value, StringComparison.Ordinal)
            .Replace("__CONFIG__", configJson, StringComparison.Ordinal)
            .Replace("/*__JS__*/", Script.Value, StringComparison.Ordinal)
            .Replace("__PROOF__", proof, StringComparison.Ordinal);
    }

    private static string Resource(string name)
    {
        var assembly = typeof(DrawPageWriter).Assembly;
        using var stream = assembly.GetManifestResourceStream("CommunityFunnel.Cli.DrawPage." + name)
            ?? throw new InvalidOperationException($"the page resource {name} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        if (text.Contains("</script", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".html", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the page resource {name} contains </script");
        }

        return text;
    }
}
