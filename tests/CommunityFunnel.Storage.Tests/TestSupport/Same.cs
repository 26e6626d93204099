using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityFunnel.Storage.Tests.TestSupport;

/// <summary>Structural comparison of store records (records with list members compare lists by reference).</summary>
internal static class Same
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Equal<T>(T expected, T actual) => Assert.Equal(Json(expected), Json(actual));
}
