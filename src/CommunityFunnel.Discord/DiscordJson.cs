using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;
using CommunityFunnel.Platforms;
using static CommunityFunnel.Platforms.PayloadJson<CommunityFunnel.Discord.DiscordJson>;

namespace CommunityFunnel.Discord;

/// <summary>Discord's field readers (on <see cref="PayloadJson{TErrors}"/>), each refusal a <see cref="DiscordException"/> naming the field's path.</summary>
internal sealed class DiscordJson : IPayloadErrors
{
    public static Exception Malformed(string problem, Exception? inner) =>
        inner is null ? new DiscordException(DiscordError.MalformedJson, null, "The payload " + problem) : new DiscordException(DiscordError.MalformedJson, null, "The payload " + problem, inner);

    public static Exception Missing(string field) =>
        new DiscordException(DiscordError.MissingField, field, $"The payload's {field} is missing.");

    public static Exception Invalid(string field, string what) =>
        new DiscordException(DiscordError.InvalidField, field, $"The payload's {field} {what}.");

    /// <summary>A snowflake id: Discord sends them as strings of decimal digits.</summary>
    public static string Snowflake(JsonElement parent, string name, string path) =>
        OptionalSnowflake(parent, name, path) ?? throw Missing(Join(path, name));

    public static string? OptionalSnowflake(JsonElement parent, string name, string path)
    {
        var text = OptionalString(parent, name, path);
        if (text is null)
        {
            return null;
        }

        if (text.Length is 0 or > 20 || !text.All(char.IsAsciiDigit))
        {
            throw Invalid(Join(path, name), $"'{Shorten(text)}' is not a snowflake (a string of up to 20 digits)");
        }

        return text;
    }

    /// <summary>An ISO 8601 timestamp with an offset (Discord writes <c>2026-12-04T11:00:00.123000+00:00</c>), within the event log's range.</summary>
    public static DateTimeOffset Timestamp(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw Invalid(Join(path, name), $"'{Shorten(text)}' is not an ISO 8601 timestamp with an offset");
        }

        if (at < CommunityEvent.MinAt || at > CommunityEvent.MaxAt)
        {
            throw Invalid(Join(path, name), $"'{Shorten(text)}' is out of range");
        }

        return at;
    }

    // The 'Z' form has no offset for the parser to read: AssumeUniversal makes it UTC, not the machine's zone.
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
