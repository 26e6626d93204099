using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;

namespace CommunityFunnel.Telegram;

/// <summary>Reads the fields of an update, each refusal a <see cref="TelegramException"/> naming the field's path.</summary>
internal static class TelegramJson
{
    public static JsonDocument Parse(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new TelegramException(TelegramError.MalformedJson, null, "The update is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new TelegramException(TelegramError.MalformedJson, null, $"The update is not JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // A lone surrogate in the text: it cannot be UTF-8, so it cannot be JSON.
            throw new TelegramException(TelegramError.MalformedJson, null, $"The update is not valid Unicode text: {e.Message}", e);
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

    /// <summary>A Unix time in seconds, as UTC, within the event log's range.</summary>
    public static DateTimeOffset Date(JsonElement parent, string name, string path)
    {
        var seconds = Long(parent, name, path);
        if (seconds < CommunityEvent.MinAt.ToUnixTimeSeconds() || seconds > CommunityEvent.MaxAt.ToUnixTimeSeconds())
        {
            throw Invalid(path, name, string.Create(CultureInfo.InvariantCulture, $"({seconds}) is out of range"));
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static TelegramException Missing(string path, string name) =>
        new(TelegramError.MissingField, Join(path, name), $"The update's {Join(path, name)} is missing.");

    public static TelegramException Invalid(string path, string name, string what) =>
        new(TelegramError.InvalidField, Join(path, name), $"The update's {Join(path, name)} {what}.");

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
