using System.Text;
using System.Text.RegularExpressions;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a JSON text, as a hostile or buggy producer would write it: flipped bits, truncation, values
/// of the wrong type, huge and odd numbers, invalid UTF-8, duplicate keys, lone surrogate escapes, instants without
/// offsets or at the ends of the calendar, byte-order marks, stray structural bytes. The same seed gives the same bytes.
/// </summary>
internal static partial class JsonMutator
{
    private static readonly string[] HostileValues =
    [
        "0", "-1", "-0", "1.5", "1e3", "1e400", "-1e400", "4294967295", "4294967296", "9007199254740991", "9007199254740992",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "123456789012345678901234567890",
        "true", "false", "null", "[]", "{}", "[[[[[[[[]]]]]]]]", "\"\"", "\"x\"", "\"\\udfff\"", "\"\\ud800x\"",
        "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-11-01T00:00:00\"",
        "\"P99999999D\"", "\"99999999999h\"", "\"-5m\"", "\"0s\"", "\"" + new string('a', 10_000) + "!\"",
        "\"(a+)+$\"", "\"[\"", "\"\\u0000\"", "\"ÿ\"", "\"\\\"\"",
    ];

    private static readonly byte[][] BadUtf8 =
    [
        [0x80], [0xC0, 0x80], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xEF, 0xBB, 0xBF], [0x00],
    ];

    private static readonly string[] Stray = ["{", "}", "[", "]", "\"", "\\", ",", ":", "\n", "\r", " ", "\\u", "\\ud83d", "\\x", "/*", "\t"];

    [GeneratedRegex("""("(?:[^"\\]|\\.)*")\s*:""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(""":\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+\-]*|true|false|null)""")]
    private static partial Regex ValuePattern();

    [GeneratedRegex("""(Z|[+\-]\d\d:\d\d)(?=")""")]
    private static partial Regex OffsetPattern();

    /// <summary>One to three mutations of <paramref name="json"/>.</summary>
    public static byte[] Mutate(string json, Random random)
    {
        var text = json;
        var rounds = 1 + random.Next(3);
        byte[]? bytes = null;
        for (var i = 0; i < rounds; i++)
        {
            var op = random.Next(12);
            if (op < 8 && bytes is null)
            {
                text = MutateText(text, op, random);
            }
            else
            {
                bytes ??= Encoding.UTF8.GetBytes(text);
                bytes = MutateBytes(bytes, op - 8, random);
            }
        }

        return bytes ?? Encoding.UTF8.GetBytes(text);
    }

    private static string MutateText(string text, int op, Random random)
    {
        switch (op)
        {
            case 0:
            case 1:
            case 2: // a value of the wrong type, a huge number, an extreme instant or duration
                var values = ValuePattern().Matches(text);
                if (values.Count == 0)
                {
                    goto default;
                }

                var v = values[random.Next(values.Count)].Groups[1];
                return text[..v.Index] + HostileValues[random.Next(HostileValues.Length)] + text[(v.Index + v.Length)..];
            case 3: // a duplicate key
                var keys = KeyPattern().Matches(text);
                var vs = ValuePattern().Matches(text);
                if (keys.Count == 0 || vs.Count == 0)
                {
                    goto default;
                }

                var k = keys[random.Next(keys.Count)];
                var brace = text.IndexOf('{', StringComparison.Ordinal);
                return text[..(brace + 1)] + k.Groups[1].Value + ":" + vs[random.Next(vs.Count)].Groups[1].Value + "," + text[(brace + 1)..];
            case 4: // a lone surrogate escape inside a string
                var quotes = AllIndexes(text, '"');
                if (quotes.Count == 0)
                {
                    goto default;
                }

                var q = quotes[random.Next(quotes.Count)] + 1;
                var surrogate = random.Next(4) switch { 0 => "\\udfff", 1 => "\\ud800", 2 => "\\udc00\\ud800", _ => "\\ud83d" };
                return text[..q] + surrogate + text[q..];
            case 5: // an instant without its offset
                var offsets = OffsetPattern().Matches(text);
                if (offsets.Count == 0)
                {
                    goto default;
                }

                var o = offsets[random.Next(offsets.Count)];
                return text[..o.Index] + text[(o.Index + o.Length)..];
            case 6: // a removed key or value
                var all = ValuePattern().Matches(text);
                if (all.Count == 0)
                {
                    goto default;
                }

                var m = all[random.Next(all.Count)];
                return text[..m.Index] + text[(m.Index + m.Length)..];
            default: // a stray structural character or escape
                var at = random.Next(text.Length + 1);
                return text[..at] + Stray[random.Next(Stray.Length)] + text[at..];
        }
    }

    private static byte[] MutateBytes(byte[] bytes, int op, Random random)
    {
        var list = new List<byte>(bytes);
        var at = random.Next(list.Count + 1);
        switch (op)
        {
            case 0: // flip a bit
                if (list.Count > 0)
                {
                    var i = random.Next(list.Count);
                    list[i] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1: // truncate
                list.RemoveRange(at, list.Count - at);
                break;
            case 2: // invalid UTF-8, a BOM or a NUL
                list.InsertRange(at, BadUtf8[random.Next(BadUtf8.Length)]);
                break;
            default: // a BOM in front
                list.InsertRange(0, [0xEF, 0xBB, 0xBF]);
                break;
        }

        return [.. list];
    }

    private static List<int> AllIndexes(string text, char c)
    {
        var result = new List<int>();
        for (var i = text.IndexOf(c, StringComparison.Ordinal); i >= 0; i = text.IndexOf(c, i + 1))
        {
            result.Add(i);
        }

        return result;
    }
}
