using System.Text.Json;

namespace CommunityFunnel.Members;

/// <summary>
/// Reads lifecycle policies from JSON (the format is described in <c>docs/lifecycle.md</c>):
/// <c>{"timeZone": "...", "default": {policy}, "groups": {"group-id": {policy}}}</c>. Unknown fields, wrong types
/// and invalid values are errors that name the field; every problem is reported in one message.
/// </summary>
public static class LifecyclePolicyFile
{
    /// <summary>Parses the JSON text of a policy file.</summary>
    /// <exception cref="FormatException">The text is not a valid policy file; the message names every bad field.</exception>
    public static LifecycleOptions Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return ParseDocument(json);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's error for a string whose \u escapes are not valid UTF-16 (a lone surrogate).
            throw new FormatException("The policy file has a string with a \\u escape that is not valid UTF-16: " + e.Message, e);
        }
    }

    private static LifecycleOptions ParseDocument(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException("The policy file is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var errors = new List<string>();
            var options = new LifecycleOptions();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The policy file must hold a JSON object.");
            }

            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "timeZone":
                        options.TimeZoneId = String(property.Value, "timeZone", errors);
                        break;
                    case "default":
                        options.DefaultPolicy = ReadPolicy(property.Value, "default", errors);
                        break;
                    case "groups":
                        if (property.Value.ValueKind != JsonValueKind.Object)
                        {
                            errors.Add("groups: must be an object of group id to policy.");
                            break;
                        }

                        foreach (var group in property.Value.EnumerateObject())
                        {
                            options.Groups[group.Name] = ReadPolicy(group.Value, $"groups.{group.Name}", errors);
                        }

                        break;
                    case "$schema":
                    case "description":
                        break;
                    default:
                        errors.Add($"'{property.Name}': unknown field (expected timeZone, default, groups).");
                        break;
                }
            }

            // A field that failed to read keeps its (valid) default, so the checks below report only other problems.
            errors.AddRange(LifecycleOptionsValidator.Check(options, filePaths: true));

            if (errors.Count > 0)
            {
                throw new FormatException("Invalid lifecycle policy file: " + string.Join(" ", errors));
            }

            return options;
        }
    }

    /// <summary>Reads and parses a policy file.</summary>
    /// <exception cref="FormatException">The file is not a valid policy file.</exception>
    public static LifecycleOptions Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path));
    }

    private static LifecyclePolicy ReadPolicy(JsonElement element, string path, List<string> errors)
    {
        var policy = new LifecyclePolicy();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an object.");
            return policy;
        }

        foreach (var p in element.EnumerateObject())
        {
            var at = $"{path}.{p.Name}";
            switch (p.Name)
            {
                case "nicknamePattern": policy.NicknamePattern = String(p.Value, at, errors); break;
                case "onboardingGrace": policy.OnboardingGrace = Duration(p.Value, at, errors) ?? policy.OnboardingGrace; break;
                case "speakEveryDays":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        policy.SpeakEveryDays = null;
                    }
                    else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var days))
                    {
                        policy.SpeakEveryDays = days;
                    }
                    else
                    {
                        errors.Add($"{at}: must be a whole number of days or null.");
                    }

                    break;
                case "requiredTasks":
                    ReadTasks(p.Value, at, policy, errors);
                    break;
                case "warningGrace": policy.WarningGrace = Duration(p.Value, at, errors) ?? policy.WarningGrace; break;
                case "protectedMembers":
                    if (p.Value.ValueKind != JsonValueKind.Array)
                    {
                        errors.Add($"{at}: must be an array of member ids.");
                        break;
                    }

                    var i = 0;
                    foreach (var item in p.Value.EnumerateArray())
                    {
                        if (String(item, $"{at}[{i++}]", errors) is { } member)
                        {
                            policy.ProtectedMembers.Add(member);
                        }
                    }

                    break;
                case "rejoinBan":
                    var ban = String(p.Value, at, errors);
                    if (ban is "forever")
                    {
                        policy.RejoinBan = null;
                    }
                    else if (ban is "none")
                    {
                        policy.RejoinBan = TimeSpan.Zero;
                    }
                    else if (ban is not null)
                    {
                        policy.RejoinBan = Duration(p.Value, at, errors);
                    }

                    break;
                case "rejoinAfterLeaving":
                    var mode = String(p.Value, at, errors);
                    if (mode is "onboarding")
                    {
                        policy.RejoinAfterLeaving = RejoinMode.Onboarding;
                    }
                    else if (mode is "active")
                    {
                        policy.RejoinAfterLeaving = RejoinMode.Active;
                    }
                    else if (mode is not null)
                    {
                        errors.Add($"{at}: '{mode}' is not 'onboarding' or 'active'.");
                    }

                    break;
                case "rules": policy.Rules = String(p.Value, at, errors); break;
                default:
                    errors.Add($"{at}: unknown field.");
                    break;
            }
        }

        return policy;
    }

    private static void ReadTasks(JsonElement element, string path, LifecyclePolicy policy, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}: must be an array of {{\"id\", \"within\"}}.");
            return;
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}: must be an object with 'id' and 'within'.");
                continue;
            }

            var task = new LifecycleTask();
            foreach (var p in item.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "id": task.Id = String(p.Value, $"{at}.id", errors) ?? string.Empty; break;
                    case "within": task.Within = Duration(p.Value, $"{at}.within", errors) ?? task.Within; break;
                    default: errors.Add($"{at}.{p.Name}: unknown field."); break;
                }
            }

            policy.RequiredTasks.Add(task);
        }
    }

    private static string? String(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            errors.Add($"{path}: must be a string.");
        }

        return null;
    }

    private static TimeSpan? Duration(JsonElement value, string path, List<string> errors)
    {
        var text = String(value, path, errors);
        if (text is null)
        {
            return null;
        }

        if (TryParseDuration(text, out var duration))
        {
            return duration;
        }

        errors.Add($"{path}: '{text}' is not a duration such as 24h, 90m, 3d or PT24H.");
        return null;
    }

    /// <summary>Parses <c>3d</c>, <c>24h</c>, <c>90m</c>, <c>45s</c>, combinations like <c>1d12h</c>, or ISO-8601 <c>PT24H</c>.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }

        if (text[0] == 'P')
        {
            try
            {
                value = System.Xml.XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return false;
            }
        }

        long total = 0;
        var number = -1L;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                number = checked((number < 0 ? 0 : number * 10) + (c - '0'));
                if (number > 1_000_000)
                {
                    return false;
                }

                continue;
            }

            var unit = c switch
            {
                'd' => TimeSpan.TicksPerDay,
                'h' => TimeSpan.TicksPerHour,
                'm' => TimeSpan.TicksPerMinute,
                's' => TimeSpan.TicksPerSecond,
                _ => 0L,
            };
            if (unit == 0 || number < 0)
            {
                return false;
            }

            total = checked(total + (number * unit));
            number = -1;
        }

        if (number >= 0)
        {
            return false;
        }

        value = new TimeSpan(total);
        return true;
    }
}
