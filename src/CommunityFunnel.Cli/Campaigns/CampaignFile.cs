using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Cli.Campaigns;

/// <summary>
/// A campaign file: the reward rules of a rules file (<c>timeZone</c>, <c>budgets</c>, <c>rules</c>, same format)
/// plus <c>templates</c>, the draw templates the rules' tickets go to. Every problem is reported at once, each by
/// its path in the file (<c>templates[weekly].prizes[0].count</c>).
/// </summary>
internal sealed record CampaignFile(RewardRuleSet Rules, IReadOnlyList<DrawTemplate> Templates)
{
    private static readonly string[] TemplateFields =
    [
        "id", "drawIdPattern", "opensOn", "opensAt", "closesOn", "closesAt", "closesAtEntries", "prizes",
        "maxTicketsPerEntry", "entropy", "claimPeriod", "budget",
    ];

    private static readonly string[] PrizeFields = ["tier", "count", "reward"];

    private static readonly JsonSerializerOptions RewardJson = CreateRewardJson();

    /// <summary>The community's time zone: the file's <c>timeZone</c>, else Asia/Shanghai.</summary>
    public string TimeZoneId => Rules.TimeZone ?? "Asia/Shanghai";

    /// <summary>Parses and validates a campaign file.</summary>
    /// <exception cref="JsonException">The text is not JSON, or not a JSON object.</exception>
    /// <exception cref="ArgumentException">Anything else is wrong; the message names every bad field by its path.</exception>
    public static CampaignFile Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new JsonException($"The campaign file is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        var root = node as JsonObject ?? throw new JsonException("The campaign file must hold a JSON object with 'rules' and 'templates'.");
        var errors = new List<string>();
        var rulesPart = new JsonObject();
        JsonArray? templatesNode = null;
        foreach (var (name, value) in root.ToList())
        {
            switch (name)
            {
                case "timeZone" or "budgets" or "rules":
                    root.Remove(name);
                    rulesPart[name] = value;
                    break;
                case "templates":
                    if (value is JsonArray array)
                    {
                        templatesNode = array;
                    }
                    else
                    {
                        errors.Add("templates: must be an array of draw templates");
                    }

                    break;
                default:
                    errors.Add($"{name}: unknown field (expected timeZone, budgets, rules, templates)");
                    break;
            }
        }

        if (!root.ContainsKey("templates"))
        {
            errors.Add("templates: is required (the draw templates the rules' tickets go to)");
        }

        RewardRuleSet? rules = null;
        try
        {
            rules = RewardRuleSet.Parse(rulesPart.ToJsonString());
        }
        catch (ArgumentException e)
        {
            const string Prefix = "Invalid reward rules: ";
            errors.Add(e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? e.Message[Prefix.Length..] : e.Message);
        }

        var templates = new List<DrawTemplate>();
        var shapeErrors = errors.Count;
        if (templatesNode is not null)
        {
            for (var i = 0; i < templatesNode.Count; i++)
            {
                var item = templatesNode[i];
                var at = $"templates[{Label(item, i)}]";
                if (item is not JsonObject obj)
                {
                    errors.Add($"{at}: must be an object");
                    continue;
                }

                if (ReadTemplate(obj, at, errors) is { } t)
                {
                    templates.Add(t);
                }
            }
        }

        if (rules is not null && templatesNode is not null && errors.Count == shapeErrors)
        {
            // Rules and every template read: the templates' own checks, and the rules' draws against them (as a host's start checks them).
            errors.AddRange(DrawTemplateValidator.Check(templates, rules));
        }

        if (rules is not null)
        {
            if (rules.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                errors.Add($"timeZone: '{zone}' is not an IANA time zone known to this machine, e.g. Asia/Shanghai");
            }
        }

        if (errors.Count > 0 || rules is null)
        {
            throw new ArgumentException("Invalid campaign file: " + string.Join("; ", errors));
        }

        return new CampaignFile(rules, templates);
    }

    private static string Label(JsonNode? item, int index) =>
        item is JsonObject o && o.TryGetPropertyValue("id", out var id) && id?.GetValueKind() == JsonValueKind.String
        && id.GetValue<string>() is { Length: > 0 } text
            ? text
            : index.ToString(CultureInfo.InvariantCulture);

    private static DrawTemplate? ReadTemplate(JsonObject obj, string at, List<string> errors)
    {
        var before = errors.Count;
        foreach (var (name, _) in obj)
        {
            if (Array.IndexOf(TemplateFields, name) < 0)
            {
                errors.Add($"{at}.{name}: unknown field (expected {string.Join(", ", TemplateFields)})");
            }
        }

        var id = String(obj, "id", at, errors, required: true);
        var pattern = String(obj, "drawIdPattern", at, errors, required: true);
        var prizes = new List<DrawPrize>();
        if (!obj.TryGetPropertyValue("prizes", out var prizesNode) || prizesNode is null)
        {
            errors.Add($"{at}.prizes: is required (at least one tier)");
        }
        else if (prizesNode is not JsonArray prizeArray)
        {
            errors.Add($"{at}.prizes: must be an array");
        }
        else
        {
            for (var p = 0; p < prizeArray.Count; p++)
            {
                var pat = $"{at}.prizes[{p.ToString(CultureInfo.InvariantCulture)}]";
                if (prizeArray[p] is not JsonObject prize)
                {
                    errors.Add($"{pat}: must be an object");
                    continue;
                }

                if (ReadPrize(prize, pat, errors) is { } read)
                {
                    prizes.Add(read);
                }
            }
        }

        var template = new DrawTemplate
        {
            Id = id ?? string.Empty,
            DrawIdPattern = pattern ?? string.Empty,
            OpensOn = Weekday(obj, "opensOn", at, errors),
            OpensAt = Time(obj, "opensAt", at, errors),
            ClosesOn = Weekday(obj, "closesOn", at, errors),
            ClosesAt = Time(obj, "closesAt", at, errors),
            ClosesAtEntries = (int?)Whole(obj, "closesAtEntries", at, errors, int.MaxValue),
            Prizes = prizes,
            MaxTicketsPerEntry = Whole(obj, "maxTicketsPerEntry", at, errors, long.MaxValue) ?? uint.MaxValue,
            Entropy = Entropy(obj, at, errors),
            ClaimPeriod = Period(obj, "claimPeriod", at, errors),
            Budget = String(obj, "budget", at, errors, required: false),
        };
        return errors.Count == before ? template : null;
    }

    private static DrawPrize? ReadPrize(JsonObject prize, string at, List<string> errors)
    {
        var before = errors.Count;
        foreach (var (name, _) in prize)
        {
            if (Array.IndexOf(PrizeFields, name) < 0)
            {
                errors.Add($"{at}.{name}: unknown field (expected {string.Join(", ", PrizeFields)})");
            }
        }

        var tier = String(prize, "tier", at, errors, required: true);
        var count = Whole(prize, "count", at, errors, int.MaxValue);
        if (count is null && !errors.Skip(before).Any(e => e.StartsWith($"{at}.count", StringComparison.Ordinal)))
        {
            errors.Add($"{at}.count: is required (how many winners)");
        }

        RewardSpec? reward = null;
        if (!prize.TryGetPropertyValue("reward", out var rewardNode) || rewardNode is null)
        {
            errors.Add($"{at}.reward: is required (a coupon, points or a physical prize)");
        }
        else if (rewardNode is not JsonObject)
        {
            errors.Add($"{at}.reward: must be an object");
        }
        else if (rewardNode["kind"] is null)
        {
            errors.Add($"{at}.reward.kind: is required (coupon, points or prize)");
        }
        else
        {
            try
            {
                reward = rewardNode.Deserialize<RewardSpec>(RewardJson);
            }
            catch (JsonException e)
            {
                var path = e.Path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? "." + p[2..] : string.Empty;
                errors.Add($"{at}.reward{path}: {FirstSentence(e.Message)}");
            }
        }

        return errors.Count == before && reward is not null ? new DrawPrize(tier!, (int)count!.Value, reward) : null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string? String(JsonObject obj, string name, string at, List<string> errors, bool required)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                errors.Add($"{at}.{name}: is required");
            }

            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{at}.{name}: must be a string, it is {node.ToJsonString()}");
            return null;
        }

        return node.GetValue<string>();
    }

    private static long? Whole(JsonObject obj, string name, string at, List<string> errors, long max)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue v && v.TryGetValue<long>(out var n) && n >= 1 && n <= max)
        {
            return n;
        }

        errors.Add($"{at}.{name}: must be a whole number from 1 to {max.ToString(CultureInfo.InvariantCulture)}, it is {node.ToJsonString()}");
        return null;
    }

    private static DayOfWeek? Weekday(JsonObject obj, string name, string at, List<string> errors)
    {
        var text = String(obj, name, at, errors, required: false);
        if (text is null)
        {
            return null;
        }

        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (string.Equals(JsonNamingPolicy.CamelCase.ConvertName(day.ToString()), text, StringComparison.Ordinal))
            {
                return day;
            }
        }

        errors.Add($"{at}.{name}: '{text}' is not a weekday (monday, tuesday, ..., sunday)");
        return null;
    }

    private static TimeOnly Time(JsonObject obj, string name, string at, List<string> errors)
    {
        var text = String(obj, name, at, errors, required: false);
        if (text is null)
        {
            return default;
        }

        if (TimeOnly.TryParseExact(text, "HH':'mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add($"{at}.{name}: '{text}' is not a local time such as 20:00 (HH:mm, 24-hour)");
        return default;
    }

    private static TimeSpan? Period(JsonObject obj, string name, string at, List<string> errors)
    {
        var text = String(obj, name, at, errors, required: false);
        if (text is null)
        {
            return null;
        }

        if (text.Length >= 2 && (text[^1] is 'd' or 'h') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 3650)
        {
            return text[^1] == 'd' ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
        }

        errors.Add($"{at}.{name}: '{text}' is not a period such as 3d or 72h (whole days or hours, at least 1)");
        return null;
    }

    private static DrawEntropy Entropy(JsonObject obj, string at, List<string> errors)
    {
        var text = String(obj, "entropy", at, errors, required: false);
        switch (text)
        {
            case null or "registered":
                return DrawEntropy.Registered;
            case "none":
                return DrawEntropy.None;
            default:
                errors.Add($"{at}.entropy: '{text}' is not an entropy source (registered: the host's drand beacon, or --entropy in a rehearsal; none: no public entropy)");
                return DrawEntropy.Registered;
        }
    }

    private static JsonSerializerOptions CreateRewardJson()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
