using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace CommunityFunnel.Events;

/// <summary>Parses one event-log/v1 line into a <see cref="CommunityEvent"/>, or throws naming the rule it breaks.</summary>
internal sealed class EventLineParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private readonly Utf8StringPool _pool = new();
    private readonly byte[] _lastMemberUtf8 = new byte[128];
    private int _lastMemberLength;
    private string? _lastMember;

    public CommunityEvent Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (!Utf8.IsValid(line))
        {
            throw new EventLogException(lineNumber, EventLogRule.InvalidUtf8, "the line has bytes that are not UTF-8");
        }

        string? id = null, group = null, member = null, channel = null, by = null, task = null, currency = null, nickname = null, coupon = null;
        EventType? type = null;
        MemberRole? role = null;
        ChannelAttribution? attribution = null;
        string? scene = null;
        DateTimeOffset? at = null;
        long? amount = null;
        var seen = Field.None;

        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EventLogException(lineNumber, EventLogRule.NotAnObject, $"the line holds a JSON {Describe(reader.TokenType)}, not an object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Identify(ref reader);
                if (field != Field.None)
                {
                    if ((seen & field) != 0)
                    {
                        throw new EventLogException(lineNumber, EventLogRule.DuplicateField, $"'{reader.GetString()}' appears more than once");
                    }

                    seen |= field;
                }

                reader.Read();
                switch (field)
                {
                    case Field.Id: id = ReadString(ref reader, "id", lineNumber); break;
                    case Field.Group: group = ReadPooled(ref reader, "group", lineNumber); break;
                    case Field.Member: member = ReadMember(ref reader, lineNumber); break;
                    case Field.Channel: channel = ReadPooled(ref reader, "channel", lineNumber); break;
                    case Field.By: by = ReadPooled(ref reader, "by", lineNumber); break;
                    case Field.Task: task = ReadPooled(ref reader, "task", lineNumber); break;
                    case Field.Currency: currency = ReadPooled(ref reader, "currency", lineNumber); break;
                    case Field.Nickname: nickname = ReadString(ref reader, "nickname", lineNumber); break;
                    case Field.CouponCode: coupon = ReadString(ref reader, "coupon", lineNumber); break;
                    case Field.Type:
                        var typeName = ReadPooled(ref reader, "type", lineNumber);
                        if (typeName is not null)
                        {
                            type = EventTypeNames.TryParseType(typeName, out var t)
                                ? t
                                : throw new EventLogException(lineNumber, EventLogRule.UnknownType, $"'{typeName}' is not an event type of event-log/v1");
                        }

                        break;
                    case Field.Role:
                        var roleName = ReadPooled(ref reader, "role", lineNumber);
                        if (roleName is not null)
                        {
                            role = EventTypeNames.TryParseRole(roleName, out var r)
                                ? r
                                : throw new EventLogException(lineNumber, EventLogRule.InvalidRole, $"'{roleName}' is not member, staff or bot");
                        }

                        break;
                    case Field.Scene: scene = ReadPooled(ref reader, "scene", lineNumber); break;
                    case Field.Attribution:
                        var attributionName = ReadPooled(ref reader, "attribution", lineNumber);
                        if (attributionName is not null)
                        {
                            attribution = EventTypeNames.TryParseAttribution(attributionName, out var a)
                                ? a
                                : throw new EventLogException(lineNumber, EventLogRule.InvalidAttribution, $"'{attributionName}' is not exact, inferred or unknown");
                        }

                        break;
                    case Field.At: at = ReadInstant(ref reader, lineNumber); break;
                    case Field.Amount: amount = ReadAmount(ref reader, lineNumber); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new EventLogException(lineNumber, EventLogRule.InvalidJson, "the object is not closed");
            }

            if (reader.Read())
            {
                throw new EventLogException(lineNumber, EventLogRule.InvalidJson, "more than one JSON value on the line");
            }
        }
        catch (JsonException e)
        {
            throw new EventLogException(lineNumber, EventLogRule.InvalidJson, FirstSentence(e.Message));
        }
        catch (InvalidOperationException e)
        {
            // What System.Text.Json throws when a string's \u escapes are not valid UTF-16 (a lone surrogate such as
            // "\udfff"): the text has no UTF-8 form. The bytes were checked above, so this is the only way in.
            throw new EventLogException(lineNumber, EventLogRule.InvalidUtf8, $"a string has a \\u escape that is not valid UTF-16 ({e.Message.TrimEnd('.')})");
        }

        Require(id, "id", lineNumber);
        Require(type, "type", lineNumber);
        Require(group, "group", lineNumber);
        Require(member, "member", lineNumber);
        Require(at, "at", lineNumber);
        var eventType = type!.Value;
        if (CommunityEvent.RequiresTask(eventType))
        {
            Require(task, "task", lineNumber, eventType);
        }
        else if (eventType == EventType.Order)
        {
            Require(amount, "amount", lineNumber, eventType);
        }
        else if (eventType == EventType.NicknameChanged && nickname is null)
        {
            throw new EventLogException(lineNumber, EventLogRule.MissingField, "'nickname' is required on a 'nickname_changed' event");
        }
        else if (eventType == EventType.InviteViewed)
        {
            Require(channel, "channel", lineNumber, eventType);
        }

        return new CommunityEvent(id!, eventType, group!, member!, at!.Value, channel, role, by, task, amount, currency, nickname, attribution, scene) { CouponCode = coupon };
    }

    private static void Require<T>(T? value, string name, long lineNumber, EventType? onType = null)
    {
        if (value is null || (value is string s && s.Length == 0))
        {
            var where = onType is { } t ? $" on a '{t.ToWireName()}' event" : string.Empty;
            throw new EventLogException(lineNumber, EventLogRule.MissingField, $"'{name}' is required{where} and must not be empty");
        }
    }

    private string? ReadPooled(ref Utf8JsonReader reader, string name, long lineNumber) =>
        reader.TokenType == JsonTokenType.String ? _pool.Get(ref reader) : ReadString(ref reader, name, lineNumber);

    /// <summary>
    /// The member, as the same string instance as the previous line's when the bytes are the same: logs come in runs
    /// of one member's events, and the activation engine skips the pair lookup for a repeated instance.
    /// </summary>
    private string? ReadMember(ref Utf8JsonReader reader, long lineNumber)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > _lastMemberUtf8.Length)
        {
            return ReadString(ref reader, "member", lineNumber);
        }

        var bytes = reader.ValueSpan;
        if (_lastMember is not null && bytes.SequenceEqual(_lastMemberUtf8.AsSpan(0, _lastMemberLength)))
        {
            return _lastMember;
        }

        var value = reader.GetString()!;
        bytes.CopyTo(_lastMemberUtf8);
        _lastMemberLength = bytes.Length;
        _lastMember = value;
        return value;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name, long lineNumber)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new EventLogException(lineNumber, EventLogRule.WrongFieldType, $"'{name}' must be a string, not a JSON {Describe(reader.TokenType)}"),
        };
    }

    private static DateTimeOffset? ReadInstant(ref Utf8JsonReader reader, long lineNumber)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            _ = ReadString(ref reader, "at", lineNumber);
        }

        var hasOffset = reader.ValueIsEscaped ? HasOffset(Encoding.UTF8.GetBytes(reader.GetString()!)) : HasOffset(reader.ValueSpan);
        if (!hasOffset)
        {
            throw new EventLogException(lineNumber, EventLogRule.InstantWithoutOffset, $"'{reader.GetString()}' needs 'Z' or an offset such as '+08:00'");
        }

        if (!reader.TryGetDateTimeOffset(out var value))
        {
            throw new EventLogException(lineNumber, EventLogRule.InvalidInstant, $"'{reader.GetString()}' is not an ISO-8601 date and time");
        }

        if (value < CommunityEvent.MinAt || value > CommunityEvent.MaxAt)
        {
            throw new EventLogException(lineNumber, EventLogRule.InvalidInstant, $"'{reader.GetString()}' is outside the instants this library accepts ({CommunityEvent.MinAt:O} to {CommunityEvent.MaxAt:O})");
        }

        return value;
    }

    /// <summary>Whether an ISO-8601 date-time text ends in <c>Z</c> or <c>±hh:mm</c> after its time part.</summary>
    internal static bool HasOffset(ReadOnlySpan<byte> text)
    {
        var t = text.IndexOfAny((byte)'T', (byte)'t');
        if (t < 0)
        {
            return false;
        }

        if (text[^1] is (byte)'Z' or (byte)'z')
        {
            return true;
        }

        return text.Length - t > 6 && text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':';
    }

    private static long? ReadAmount(ref Utf8JsonReader reader, long lineNumber)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var value) && value is >= 0 and <= CommunityEvent.MaxAmount:
                return value;
            case JsonTokenType.Number:
                throw new EventLogException(lineNumber, EventLogRule.InvalidAmount, $"'amount' must be an integer from 0 to {CommunityEvent.MaxAmount} (2^53 - 1) minor units, not {Encoding.UTF8.GetString(reader.ValueSpan)}");
            default:
                throw new EventLogException(lineNumber, EventLogRule.WrongFieldType, $"'amount' must be a number, not a JSON {Describe(reader.TokenType)}");
        }
    }

    private static Field Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return IdentifyEscaped(ref reader);
        }

        // The usual case, an unescaped name: its length narrows it down to one or a few names.
        var name = reader.ValueSpan;
        return name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Field.Id : name.SequenceEqual("at"u8) ? Field.At : name.SequenceEqual("by"u8) ? Field.By : Field.None,
            4 => name.SequenceEqual("type"u8) ? Field.Type : name.SequenceEqual("role"u8) ? Field.Role : name.SequenceEqual("task"u8) ? Field.Task : Field.None,
            5 => name.SequenceEqual("group"u8) ? Field.Group : name.SequenceEqual("scene"u8) ? Field.Scene : Field.None,
            6 => name.SequenceEqual("member"u8) ? Field.Member : name.SequenceEqual("amount"u8) ? Field.Amount : name.SequenceEqual("coupon"u8) ? Field.CouponCode : Field.None,
            7 => name.SequenceEqual("channel"u8) ? Field.Channel : Field.None,
            8 => name.SequenceEqual("currency"u8) ? Field.Currency : name.SequenceEqual("nickname"u8) ? Field.Nickname : Field.None,
            11 => name.SequenceEqual("attribution"u8) ? Field.Attribution : Field.None,
            _ => Field.None,
        };
    }

    /// <summary>As <see cref="Identify"/> for a name written with escapes (compared after unescaping).</summary>
    private static Field IdentifyEscaped(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("id"u8)) return Field.Id;
        if (reader.ValueTextEquals("type"u8)) return Field.Type;
        if (reader.ValueTextEquals("group"u8)) return Field.Group;
        if (reader.ValueTextEquals("member"u8)) return Field.Member;
        if (reader.ValueTextEquals("at"u8)) return Field.At;
        if (reader.ValueTextEquals("channel"u8)) return Field.Channel;
        if (reader.ValueTextEquals("role"u8)) return Field.Role;
        if (reader.ValueTextEquals("by"u8)) return Field.By;
        if (reader.ValueTextEquals("task"u8)) return Field.Task;
        if (reader.ValueTextEquals("amount"u8)) return Field.Amount;
        if (reader.ValueTextEquals("currency"u8)) return Field.Currency;
        if (reader.ValueTextEquals("nickname"u8)) return Field.Nickname;
        if (reader.ValueTextEquals("attribution"u8)) return Field.Attribution;
        if (reader.ValueTextEquals("scene"u8)) return Field.Scene;
        if (reader.ValueTextEquals("coupon"u8)) return Field.CouponCode;
        return Field.None;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }

    [Flags]
    private enum Field
    {
        None = 0,
        Id = 1,
        Type = 2,
        Group = 4,
        Member = 8,
        At = 16,
        Channel = 32,
        Role = 64,
        By = 128,
        Task = 256,
        Amount = 512,
        Currency = 1024,
        Nickname = 2048,
        Attribution = 4096,
        Scene = 8192,
        CouponCode = 16384,
    }
}
