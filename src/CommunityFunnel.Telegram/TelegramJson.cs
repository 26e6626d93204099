using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;
using CommunityFunnel.Platforms;
using static CommunityFunnel.Platforms.PayloadJson<CommunityFunnel.Telegram.TelegramJson>;

namespace CommunityFunnel.Telegram;

/// <summary>Telegram's field readers (on <see cref="PayloadJson{TErrors}"/>), each refusal a <see cref="TelegramException"/> naming the field's path.</summary>
internal sealed class TelegramJson : IPayloadErrors
{
    public static Exception Malformed(string problem, Exception? inner) =>
        inner is null ? new TelegramException(TelegramError.MalformedJson, null, "The update " + problem) : new TelegramException(TelegramError.MalformedJson, null, "The update " + problem, inner);

    public static Exception Missing(string field) =>
        new TelegramException(TelegramError.MissingField, field, $"The update's {field} is missing.");

    public static Exception Invalid(string field, string what) =>
        new TelegramException(TelegramError.InvalidField, field, $"The update's {field} {what}.");

    /// <summary>A Unix time in seconds, as UTC, within the event log's range.</summary>
    public static DateTimeOffset Date(JsonElement parent, string name, string path)
    {
        var seconds = Long(parent, name, path);
        if (seconds < CommunityEvent.MinAt.ToUnixTimeSeconds() || seconds > CommunityEvent.MaxAt.ToUnixTimeSeconds())
        {
            throw Invalid(Join(path, name), string.Create(CultureInfo.InvariantCulture, $"({seconds}) is out of range"));
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
