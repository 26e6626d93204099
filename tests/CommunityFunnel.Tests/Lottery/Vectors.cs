using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityFunnel.Tests.Lottery;

/// <summary>Loads the spec vectors copied next to the test assembly.</summary>
internal static class Vectors
{
    public static JsonNode Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", name)))!;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    public static IEnumerable<object[]> FairDrawCases() =>
        Load("fair-draw-v1.json")["cases"]!.AsArray().Select(c => new object[] { c!["name"]!.GetValue<string>() });

    public static JsonNode FairDrawCase(string name) =>
        Load("fair-draw-v1.json")["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    public static byte[] ToUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
