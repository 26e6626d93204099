namespace CommunityFunnel.Events;

/// <summary>A line of an event log breaks a rule of event-log/v1. The message names the line and the rule.</summary>
public sealed class EventLogException : FormatException
{
    /// <summary>Creates the error for line <paramref name="lineNumber"/> (1-based).</summary>
    public EventLogException(long lineNumber, EventLogRule rule, string detail)
        : base($"line {lineNumber}: {RuleText(rule)}: {detail}")
    {
        LineNumber = lineNumber;
        Rule = rule;
        Detail = detail;
    }

    /// <summary>The 1-based number of the bad line.</summary>
    public long LineNumber { get; }

    /// <summary>The rule the line breaks.</summary>
    public EventLogRule Rule { get; }

    /// <summary>What exactly is wrong, without the line number.</summary>
    public string Detail { get; }

    private static string RuleText(EventLogRule rule) => rule switch
    {
        EventLogRule.InvalidJson => "not valid JSON",
        EventLogRule.NotAnObject => "not a JSON object",
        EventLogRule.MissingField => "missing required field",
        EventLogRule.WrongFieldType => "wrong field type",
        EventLogRule.DuplicateField => "duplicate field",
        EventLogRule.UnknownType => "unknown event type",
        EventLogRule.InstantWithoutOffset => "'at' has no offset",
        EventLogRule.InvalidInstant => "'at' is not an ISO-8601 instant",
        EventLogRule.InvalidRole => "invalid role",
        EventLogRule.InvalidAmount => "invalid amount",
        EventLogRule.LineTooLong => "line too long",
        EventLogRule.InvalidUtf8 => "not valid UTF-8",
        EventLogRule.InvalidAttribution => "invalid attribution",
        _ => rule.ToString(),
    };
}
