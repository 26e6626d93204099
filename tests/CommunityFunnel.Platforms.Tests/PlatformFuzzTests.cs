using System.Globalization;
using System.Text;
using CommunityFunnel.Discord;
using CommunityFunnel.Events;
using CommunityFunnel.Telegram;

namespace CommunityFunnel.Platforms.Tests;

/// <summary>
/// Hostile payloads through the Telegram and Discord mappers: each fixture mutated (spans cut, repeated or swapped for
/// wrong types, huge numbers, lone surrogates, control characters; truncated). The property: a typed error naming
/// its field (<see cref="TelegramException"/>, <see cref="DiscordException"/>) or events the event log writes and
/// reads back unchanged; never another exception. Seeded: a failure names its case.
/// <c>COMMUNITYFUNNEL_FUZZ_ITERATIONS</c> sets the cases per fixture.
/// </summary>
public sealed class PlatformFuzzTests
{
    private static readonly string[] Hostile =
    [
        "null", "true", "\"\"", "\"x\"", "[]", "{}", "-1", "0", "1e400", "99999999999999999999999", "-9223372036854775809",
        "1.5", "\"\\ud800\"", "\"\\u0000\"", "\"2026-13-45T99:99:99+99:00\"", "\"…\"", "\"left\"", "\"kicked\"",
        "\"restricted\"", "\"hashtag\"", "\"" + new string('9', 21) + "\"", "{\"id\": 1}", "[{\"type\": \"hashtag\", \"offset\": 0, \"length\": 999}]",
    ];

    private static int Cases() =>
        int.TryParse(Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 150;

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var platform in new[] { "Telegram", "Discord" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", platform)).Order(StringComparer.Ordinal))
            {
                data.Add(platform, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MutatedPayloads_GiveATypedErrorOrEventsTheLogRoundTrips(string platform, string fixture)
    {
        var json = Fixture.Read(platform, fixture);
        var telegram = new TelegramUpdateMapper(new TelegramMapperOptions
        {
            InviteLinkChannels = new Dictionary<string, string> { ["poster-1118"] = "poster" },
            TaskHashtags = new Dictionary<string, string> { ["share"] = "share", ["unboxing"] = "unboxing" },
            TaskPosts = new Dictionary<TelegramMessageKey, string> { [new(-1001987654321, 77)] = "reply" },
        });
        var delivery = new DiscordDelivery
        {
            ReceivedAt = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero),
            Attribution = new DiscordJoinAttribution("poster", ChannelAttribution.Exact, "lumenPoster"),
        };
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < Cases(); i++)
        {
            var random = new Random(unchecked((fixture.Length * 7919) + i));
            var input = Mutate(json, random);
            IReadOnlyList<CommunityEvent> events;
            try
            {
                events = platform == "Telegram" ? telegram.Map(input).Events : Discord.DiscordGatewayMapperTests.Mapper.Map(input, delivery).Events;
            }
            catch (TelegramException e) when (platform == "Telegram" && (e.Field is not null || e.Reason is TelegramError.MalformedJson or TelegramError.PayloadTooLarge))
            {
                refused++;
                continue;
            }
            catch (DiscordException e) when (platform == "Discord" && (e.Field is not null || e.Reason is DiscordError.MalformedJson or DiscordError.PayloadTooLarge))
            {
                refused++;
                continue;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{platform}/{fixture}, case {i}: an untyped {e.GetType().Name}: {e.Message}\n{input}");
            }

            accepted++;
            using var stream = new MemoryStream();
            using (var writer = new EventLogWriter(stream, leaveOpen: true))
            {
                foreach (var e in events)
                {
                    writer.Write(e);
                }
            }

            var back = new EventLogReader().Read(new MemoryStream(stream.ToArray())).ToList();
            Assert.True(events.SequenceEqual(back), $"{platform}/{fixture}, case {i}: the log did not read back what was written\n{input}");
        }

        Assert.Equal(Cases(), accepted + refused);
    }

    private static string Mutate(string json, Random random)
    {
        var text = new StringBuilder(json);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            if (text.Length == 0)
            {
                text.Append(Hostile[random.Next(Hostile.Length)]);
                continue;
            }

            var at = random.Next(text.Length + 1);
            switch (random.Next(7))
            {
                case 0: // cut a span
                    text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 40), text.Length - Math.Min(at, text.Length - 1)));
                    break;
                case 1: // repeat a span (duplicate keys, repeated objects)
                    var length = Math.Min(random.Next(1, 80), text.Length - Math.Min(at, text.Length - 1));
                    text.Insert(at, text.ToString(Math.Min(at, text.Length - 1), length));
                    break;
                case 2: // a value swapped for a hostile one
                    var colon = text.ToString().IndexOf(": ", Math.Min(at, text.Length), StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        var end = colon + 2;
                        var depth = 0;
                        while (end < text.Length && (depth > 0 || (text[end] != ',' && text[end] != '\n' && text[end] != '}')))
                        {
                            depth += text[end] is '{' or '[' ? 1 : text[end] is '}' or ']' ? -1 : 0;
                            end++;
                        }

                        text.Remove(colon + 2, end - colon - 2).Insert(colon + 2, Hostile[random.Next(Hostile.Length)]);
                    }

                    break;
                case 3: // truncated
                    text.Length = at;
                    break;
                case 4: // a character flipped
                    if (at < text.Length)
                    {
                        text[at] = (char)(text[at] ^ (1 << random.Next(16)));
                    }

                    break;
                case 5: // a lone surrogate or a control character
                    text.Insert(at, random.Next(2) == 0 ? '\ud83d' : '\u0001');
                    break;
                default: // a hostile token anywhere
                    text.Insert(at, Hostile[random.Next(Hostile.Length)]);
                    break;
            }
        }

        return text.ToString();
    }
}
