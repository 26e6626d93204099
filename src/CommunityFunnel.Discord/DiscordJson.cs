using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;

namespace CommunityFunnel.Discord;

/// <summary>Reads the fields of a payload, each refusal a <see cref="DiscordException"/> naming the field's path.</summary>
internal static class DiscordJson
{
    public static JsonDocument Parse(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new DiscordException(DiscordError.MalformedJson, null, "The payload is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new DiscordException(DiscordError.MalformedJson, null, $"The payload is not JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // A lone surrogate in the text: it cannot be UTF-8, so it cannot be JSON.
            throw new DiscordException(DiscordError.MalformedJson, null, $"The payload is not valid Unicode text: {e.Message}", e);
        }
    }

    /// <summary>The property, or <see langword="null"/> when it is absent or JSON <c>null</c>.</summary>
    public static JsonElement? Get(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement Object(JsonElement parent, string name, string path) =>
        OptionalObject(parent, name, path) ?? throw Missing(path, name);

    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(path, name, "is not an object");
    }

    public static JsonElement? OptionalArray(JsonElement parent, string name, string path)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Array ? value : throw Invalid(path, name, "is not an array");
    }

    public static long Long(JsonElement parent, string name, string path) =>
        OptionalLong(parent, name, path) ?? throw Missing(path, name);

    public static long? OptionalLong(JsonElement parent, string name, string path)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw Invalid(path, name, "is not an integer");
    }

    public static string String(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? throw Missing(path, name);

    public static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, name, "is not a string");
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800"): not text the event log can hold.
            throw Invalid(path, name, "is not valid Unicode text (a lone surrogate)");
        }
    }

    public static bool? OptionalBool(JsonElement parent, string name, string path)
    {
        if (Get(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(path, name, "is not true or false"),
        };
    }

    /// <summary>A snowflake id: Discord sends them as strings of decimal digits.</summary>
    public static string Snowflake(JsonElement parent, string name, string path) =>
        OptionalSnowflake(parent, name, path) ?? throw Missing(path, name);

    public static string? OptionalSnowflake(JsonElement parent, string name, string path)
    {
        var text = OptionalString(parent, name, path);
        if (text is null)
        {
            return null;
        }

        if (text.Length is 0 or > 20 || !text.All(char.IsAsciiDigit))
        {
            throw Invalid(path, name, $"'{Shorten(text)}' is not a snowflake (a string of up to 20 digits)");
        }

        return text;
    }

    /// <summary>An ISO 8601 timestamp with an offset (Discord writes <c>2026-12-04T11:00:00.123000+00:00</c>), within the event log's range.</summary>
    public static DateTimeOffset Timestamp(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw Invalid(path, name, $"'{Shorten(text)}' is not an ISO 8601 timestamp with an offset");
        }

        if (at < CommunityEvent.MinAt || at > CommunityEvent.MaxAt)
        {
            throw Invalid(path, name, $"'{Shorten(text)}' is out of range");
        }

        return at;
    }

    // The 'Z' form has no offset for the parser to read: AssumeUniversal makes it UTC, not the machine's zone.
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    public static DiscordException Missing(string path, string name) =>
        new(DiscordError.MissingField, Join(path, name), $"The payload's {Join(path, name)} is missing.");

    public static DiscordException Invalid(string path, string name, string what) =>
        new(DiscordError.InvalidField, Join(path, name), $"The payload's {Join(path, name)} {what}.");

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
