using System.Text.Json;

namespace CommunityFunnel.Platforms;

/// <summary>How a platform adapter reports a payload it refuses: its own exception type, naming the field's path.</summary>
internal interface IPayloadErrors
{
    /// <summary>The payload as a whole is not a JSON object; <paramref name="problem"/> ends the sentence "The payload …".</summary>
    static abstract Exception Malformed(string problem, Exception? inner);

    /// <summary>A required field (its path, e.g. <c>message.chat.id</c>) is absent.</summary>
    static abstract Exception Missing(string field);

    /// <summary>A field (its path) holds what it may not; <paramref name="what"/> ends the sentence "The payload's FIELD …".</summary>
    static abstract Exception Invalid(string field, string what);
}

/// <summary>
/// Reads the fields of a platform's JSON payload (Telegram's updates, Discord's gateway dispatches), each refusal
/// an exception of the adapter's own (<typeparamref name="TErrors"/>) naming the field's path. Compiled into each
/// adapter package (they depend on the core only, not on one another).
/// </summary>
internal static class PayloadJson<TErrors>
    where TErrors : IPayloadErrors
{
    public static JsonDocument Parse(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw TErrors.Malformed("is not a JSON object.", null);
            }

            return document;
        }
        catch (JsonException e)
        {
            throw TErrors.Malformed($"is not JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // A lone surrogate in the text: it cannot be UTF-8, so it cannot be JSON.
            throw TErrors.Malformed($"is not valid Unicode text: {e.Message}", e);
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

    /// <summary>The refusal of a missing <paramref name="name"/> under <paramref name="path"/>.</summary>
    public static Exception Missing(string path, string name) => TErrors.Missing(Join(path, name));

    /// <summary>The refusal of <paramref name="name"/> under <paramref name="path"/>, which <paramref name="what"/>.</summary>
    public static Exception Invalid(string path, string name, string what) => TErrors.Invalid(Join(path, name), what);

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
