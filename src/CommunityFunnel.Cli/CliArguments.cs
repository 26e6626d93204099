using System.Globalization;

namespace CommunityFunnel.Cli;

/// <summary>
/// The parsed words of one command: <c>--name value</c> options (repeatable), <c>--flag</c> switches and
/// positional words. Every option must be consumed: an unknown one is a usage error.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses <paramref name="args"/>; <paramref name="flagNames"/> are the options that take no value.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args, params string[] flagNames)
    {
        var result = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                result._positional.Add(word);
                continue;
            }

            var name = word[2..];
            string? inlineValue = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (Array.IndexOf(flagNames, name) >= 0)
            {
                if (inlineValue is not null)
                {
                    throw new CliUsageException($"option --{name} takes no value");
                }

                result._flags.Add(name);
                continue;
            }

            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new CliUsageException($"option --{name} needs a value");
                }

                value = args[++i];
            }

            if (!result._options.TryGetValue(name, out var list))
            {
                result._options[name] = list = [];
            }

            list.Add(value);
        }

        return result;
    }

    public bool Flag(string name)
    {
        _consumed.Add(name);
        return _flags.Contains(name);
    }

    public string? Optional(string name)
    {
        _consumed.Add(name);
        if (!_options.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new CliUsageException($"option --{name} given more than once");
        }

        return values[0];
    }

    public string Required(string name) =>
        Optional(name) ?? throw new CliUsageException($"missing required option --{name}");

    public IReadOnlyList<string> All(string name)
    {
        _consumed.Add(name);
        return _options.TryGetValue(name, out var values) ? values : [];
    }

    public long? OptionalInt64(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = Optional(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw new CliUsageException($"option --{name}: '{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    public string? OptionalChoice(string name, params string[] choices)
    {
        var value = Optional(name);
        if (value is not null && Array.IndexOf(choices, value) < 0)
        {
            throw new CliUsageException($"option --{name}: '{value}' is not one of {string.Join(", ", choices)}");
        }

        return value;
    }

    public DateTimeOffset? OptionalInstant(string name)
    {
        var text = Optional(name);
        return text is null ? null : CliParsing.ParseInstant(text, "--" + name);
    }

    public DateTimeOffset RequiredInstant(string name) => CliParsing.ParseInstant(Required(name), "--" + name);

    /// <summary>Throws for any option, flag or extra positional word the command did not ask for.</summary>
    public void EnsureAllConsumed(int positionalAllowed = 0)
    {
        foreach (var name in _options.Keys.Concat(_flags))
        {
            if (!_consumed.Contains(name))
            {
                throw new CliUsageException($"unknown option --{name}");
            }
        }

        if (_positional.Count > positionalAllowed)
        {
            throw new CliUsageException($"unexpected argument '{_positional[positionalAllowed]}'");
        }
    }
}
