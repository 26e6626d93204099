using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The rules file format: camelCase fields, enum values as camelCase or snake_case strings, unknown fields rejected.</summary>
internal static class RewardRulesJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static RewardRuleSet Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RewardRuleSet>(json, Options)
                ?? throw new JsonException("The rules file holds null, not an object with 'rules'.");
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's error for a string whose \u escapes are not valid UTF-16 (a lone surrogate).
            throw new JsonException("The rules file has a string with a \\u escape that is not valid UTF-16: " + e.Message, e);
        }
    }

    public static string Serialize(RewardRuleSet set) => JsonSerializer.Serialize(set, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new EventTypeJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    /// <summary>Event types by their event-log wire names (<c>task_submitted</c>).</summary>
    private sealed class EventTypeJsonConverter : JsonConverter<Events.EventType>
    {
        public override Events.EventType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return text is not null && Events.EventTypeNames.TryParseType(text, out var type)
                ? type
                : throw new JsonException($"'{text}' is not an event type of event-log/v1 (e.g. message, checkin, task_submitted, order).");
        }

        public override void Write(Utf8JsonWriter writer, Events.EventType value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Events.EventTypeNames.ToWireName(value));
    }
}
