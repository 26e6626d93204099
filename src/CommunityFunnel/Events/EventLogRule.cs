using System.Text.Json.Serialization;

namespace CommunityFunnel.Events;

/// <summary>The rule of event-log/v1 that a bad line breaks, carried by <see cref="EventLogException"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventLogRule>))]
public enum EventLogRule
{
    /// <summary>The line is not valid JSON, or holds more than one JSON value.</summary>
    InvalidJson,

    /// <summary>The line is JSON but not an object.</summary>
    NotAnObject,

    /// <summary>A required field (<c>id</c>, <c>type</c>, <c>group</c>, <c>member</c>, <c>at</c>, or a per-type one) is missing, null or empty.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type (e.g. a number where a string belongs).</summary>
    WrongFieldType,

    /// <summary>A field appears twice in one object.</summary>
    DuplicateField,

    /// <summary><c>type</c> is not one of the event types of the spec.</summary>
    UnknownType,

    /// <summary><c>at</c> has no offset (<c>Z</c> or <c>±hh:mm</c>).</summary>
    InstantWithoutOffset,

    /// <summary><c>at</c> is not an ISO-8601 instant, or is outside <see cref="CommunityEvent.MinAt"/> to <see cref="CommunityEvent.MaxAt"/>.</summary>
    InvalidInstant,

    /// <summary><c>role</c> is not <c>member</c>, <c>staff</c> or <c>bot</c>.</summary>
    InvalidRole,

    /// <summary><c>amount</c> is not an integer from 0 to <see cref="CommunityEvent.MaxAmount"/> (2^53 - 1).</summary>
    InvalidAmount,

    /// <summary>The line is longer than <see cref="EventLogReaderOptions.MaxLineBytes"/>.</summary>
    LineTooLong,

    /// <summary>
    /// The line is not valid UTF-8, or a string in it has a <c>\u</c> escape that is not valid UTF-16 (a lone
    /// surrogate such as <c>"\udfff"</c>), text that no UTF-8 can carry.
    /// </summary>
    InvalidUtf8,

    /// <summary><c>attribution</c> (event-log/v1.1) is not <c>exact</c>, <c>inferred</c> or <c>unknown</c>.</summary>
    InvalidAttribution,
}
