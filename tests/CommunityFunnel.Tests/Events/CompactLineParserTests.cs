using System.Globalization;
using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

/// <summary>
/// The parser's fast path for compact lines against the full reader (the same parser with the fast path off), the
/// plain reference: on writers' lines and on a hundred thousand mutations of them (whitespace, escapes, other
/// names, nulls, numbers of every shape, repeats, missing and bad values, control characters, cut lines), the event
/// (every field, the instant's offset included) or the error (rule and message) is the same.
/// </summary>
public sealed class CompactLineParserTests
{
    private static readonly string[] Lines =
    [
        """{"id":"e-1","type":"message","group":"g-1","member":"m-1","at":"2026-11-01T10:00:00+08:00"}""",
        """{"id":"e-2","type":"joined","group":"g-1","member":"m-2","at":"2026-11-01T10:00:00.123+08:00","channel":"qr_poster","attribution":"exact","scene":"poster-7"}""",
        """{"id":"e-3","type":"order","group":"g-2","member":"m-3","at":"2026-11-30T23:59:59Z","amount":12900,"currency":"CNY","coupon":"CF-7K2M-9Q"}""",
        """{"id":"e-4","type":"task_approved","group":"g-2","member":"m-4","at":"2026-11-02T08:00:00-05:00","task":"share-screenshot","by":"staff-1"}""",
        """{"id":"e-5","type":"nickname_changed","group":"g-3","member":"m-5","at":"2026-11-03T00:00:00+08:00","nickname":"上海-张三-设计","role":"member"}""",
        """{"id":"e-6","type":"invite_viewed","group":"g-3","member":"v-1","at":"2026-11-03T00:00:00+08:00","channel":"moments_ad"}""",
        """{"id":"e-7","type":"joined","group":"g-1","member":"bot-1","at":"2026-11-04T00:00:00+08:00","role":"bot"}""",
        """{"id":"e-8","type":"order","group":"g-2","member":"m-3","at":"2026-11-05T09:00:00+08:00","amount":0}""",
    ];

    private static readonly string[] Inserts =
    [
        " ", "\\u0041", "\\\"", "\"", ",", ":", "{", "}", "[]", "null", "0", "00", "-1", "1.5", "1e3", "9007199254740992", "9007199254740991",
        "12345678901234567", "\"x\":1", "\"extra\":{\"a\":[1,2]}", "\"id\":\"dup\"", "\t", "\u0001", "\u00e9", "true", "Z", "+08:00", "T", "",
    ];

    private static string Outcome(EventLineParser parser, string line)
    {
        try
        {
            var e = parser.Parse(Encoding.UTF8.GetBytes(line), 7);
            return string.Join('|', e.Id, e.Type, e.Group, e.Member, e.At.ToString("O", CultureInfo.InvariantCulture), e.Channel, e.Role, e.By, e.Task,
                e.Amount, e.Currency, e.Nickname, e.Attribution, e.Scene, e.CouponCode);
        }
        catch (EventLogException error)
        {
            return $"error {error.Rule} {error.Message}";
        }
    }

    /// <summary>Whether the fast path decides the line: an event, or a missing field's error once the line is read.</summary>
    private static bool TakesFastPath(EventLineParser parser, string line)
    {
        try
        {
            return parser.TryParseCompact(Encoding.UTF8.GetBytes(line), 1) is not null;
        }
        catch (EventLogException)
        {
            return true;
        }
    }

    [Fact]
    public void WritersLines_TakeTheFastPath_AndGiveTheFullReadersEvents()
    {
        var fast = new EventLineParser();
        var full = new EventLineParser { CompactPath = false };
        foreach (var line in Lines)
        {
            Assert.NotNull(fast.TryParseCompact(Encoding.UTF8.GetBytes(line), 1)); // the fast path takes it, without an error
            Assert.Equal(Outcome(full, line), Outcome(fast, line));
            Assert.DoesNotContain("error", Outcome(fast, line), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MutatedLines_GiveTheFullReadersEventOrError()
    {
        var fast = new EventLineParser();
        var full = new EventLineParser { CompactPath = false };
        var random = new Random(19);
        var outcomes = new HashSet<string>();
        var tookFastPath = 0;
        for (var n = 0; n < 100_000; n++)
        {
            var line = Lines[random.Next(Lines.Length)];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(line.Length + 1);
                line = random.Next(3) switch
                {
                    0 => line.Insert(at, Inserts[random.Next(Inserts.Length)]),
                    1 when at < line.Length => line.Remove(at, Math.Min(line.Length - at, random.Next(1, 6))),
                    _ when at < line.Length => line.Remove(at, 1).Insert(at, ((char)random.Next(0x20, 0x7F)).ToString()),
                    _ => line,
                };
            }

            var expected = Outcome(full, line);
            if (TakesFastPath(fast, line))
            {
                tookFastPath++;
            }

            Assert.True(expected == Outcome(fast, line), line);
            outcomes.Add(expected.StartsWith("error", StringComparison.Ordinal) ? expected.Split(' ')[1] : "event");
        }

        // The mutations reach events and many kinds of error, so both paths are compared on each.
        Assert.Contains("event", outcomes);
        Assert.InRange(tookFastPath, 2_000, 90_000); // both paths are exercised (about 5% of mutations stay compact)
        Assert.True(outcomes.Count >= 8, string.Join(", ", outcomes));
    }
}
