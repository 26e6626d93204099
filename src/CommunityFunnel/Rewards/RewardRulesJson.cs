using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The rules file format: camelCase fields, enum values as camelCase or snake_case strings, unknown fields rejected.</summary>
internal static class RewardRulesJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>
    /// Reads a rules file, collecting every problem of its shape into <paramref name="errors"/>: unknown fields,
    /// values of the wrong type, instants without an offset and rules without a trigger, each by its path
    /// (<c>rules[c-1].trigger.tasks</c>). The bad fields are left out of what is returned, so the rules' own
    /// checks can still run on the rest; <see langword="null"/> when nothing could be read.
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON, or not an object.</exception>
    public static RewardRuleSet? Deserialize(string json, List<string> errors)
    {
        try
        {
            return DeserializeChecked(json, errors);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's error for a string whose \u escapes are not valid UTF-16 (a lone surrogate).
            throw new JsonException("The rules file has a string with a \\u escape that is not valid UTF-16: " + e.Message, e);
        }
    }

    private static RewardRuleSet? DeserializeChecked(string json, List<string> errors)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new JsonException($"The rules file is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e.Path, e.LineNumber, e.BytePositionInLine, e);
        }

        var root = node as JsonObject ?? throw new JsonException("The rules file must hold a JSON object with 'rules'.");
        CheckObject(root, typeof(RewardRuleSet), string.Empty, errors);
        try
        {
            return root.Deserialize<RewardRuleSet>(Options);
        }
        catch (JsonException e)
        {
            errors.Add(e.Message); // not expected: every value was checked against its field's type above
            return null;
        }
    }

    private static void CheckObject(JsonObject node, Type type, string path, List<string> errors)
    {
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        var missing = Required(type).Where(required => !node.ContainsKey(required)).ToList();
        foreach (var (name, value) in node.ToList())
        {
            var at = path.Length == 0 ? name : $"{path}.{name}";
            if (!fields.TryGetValue(name, out var field))
            {
                errors.Add($"{at}: unknown field (expected {string.Join(", ", fields.Keys)})");
                node.Remove(name);
            }
            else if (!CheckValue(value, field.PropertyType, at, errors))
            {
                node.Remove(name);
            }
        }

        foreach (var required in missing)
        {
            errors.Add($"{(path.Length == 0 ? required : $"{path}.{required}")}: is required");
        }
    }

    /// <summary>Fields without a sensible default: a rule without a trigger must not quietly become a check-in rule.</summary>
    private static string[] Required(Type type) =>
        type == typeof(RewardRule) ? ["trigger"]
        : type == typeof(RewardTrigger) || type == typeof(RewardSpec) || type == typeof(RewardCoupon) ? ["kind"]
        : [];

    private static bool CheckValue(JsonNode? value, Type type, string path, List<string> errors)
    {
        var inner = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            if (inner is not null || !type.IsValueType)
            {
                return true; // null: the field's "not set" (the rules' checks report it where it is required)
            }

            errors.Add($"{path}: must not be null");
            return false;
        }

        type = inner ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            if (value is not JsonArray array)
            {
                errors.Add($"{path}: must be an array");
                return false;
            }

            var item = type.GetGenericArguments()[0];
            for (var i = array.Count - 1; i >= 0; i--)
            {
                if (!CheckValue(array[i], item, $"{path}[{Label(array[i], i)}]", errors))
                {
                    array.RemoveAt(i);
                }
            }

            return true;
        }

        if (type.Namespace == typeof(RewardRule).Namespace && type.IsClass)
        {
            if (value is not JsonObject obj)
            {
                errors.Add($"{path}: must be an object");
                return false;
            }

            CheckObject(obj, type, path, errors);
            return true;
        }

        if (type == typeof(DateTimeOffset))
        {
            var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
            if (text is null || !Events.EventLineParser.HasOffset(Encoding.UTF8.GetBytes(text))
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                errors.Add($"{path}: {(text is null ? "must be a string" : $"'{text}'")} is not an ISO-8601 instant with an offset ('Z' or '+08:00'), e.g. 2026-11-01T00:00:00+08:00");
                return false;
            }

            return true;
        }

        try
        {
            _ = value.Deserialize(type, Options);
            return true;
        }
        catch (JsonException)
        {
            errors.Add($"{path}: {Expected(type)}, it is {value.ToJsonString()}");
            return false;
        }
    }

    /// <summary>An array item's label in a path: the id of a rule or budget (<c>rules[c-1]</c>), else the index.</summary>
    internal static string Label(JsonNode? item, int index) =>
        item is JsonObject o && o.TryGetPropertyValue("id", out var id) && id?.GetValueKind() == JsonValueKind.String
        && id.GetValue<string>() is { Length: > 0 } text
            ? text
            : index.ToString(CultureInfo.InvariantCulture);

    private static string Expected(Type type) =>
        type == typeof(Events.EventType) ? "must be an event type of event-log/v1 (e.g. message, checkin, task_submitted, order)"
        : type.IsEnum ? "must be one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))
        : type == typeof(int) ? $"must be a whole number from {int.MinValue} to {int.MaxValue}"
        : type == typeof(long) ? $"must be a whole number from {long.MinValue} to {long.MaxValue}"
        : type == typeof(bool) ? "must be true or false"
        : type == typeof(string) ? "must be a string"
        : "must be a " + type.Name;

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
