using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

public sealed class EventLogWriterTests
{
    [Fact]
    public void WritesTheSpecsFieldNames_InOrder_LeavingOutAbsentFields()
    {
        var e = new CommunityEvent("e1", EventType.Joined, "g-1", "m-1", new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(8)), channel: "门店二维码", role: MemberRole.Staff, by: "m-0");

        Assert.Equal(
            """{"id":"e1","type":"joined","group":"g-1","member":"m-1","at":"2026-11-01T20:00:00+08:00","channel":"门店二维码","role":"staff","by":"m-0"}""" + "\n",
            Write([e]));
    }

    [Theory]
    [InlineData("2026-11-01T12:00:00Z")]
    [InlineData("2026-11-01T20:00:00+08:00")]
    [InlineData("2026-11-01T07:00:00-05:00")]
    [InlineData("2026-11-01T20:00:00.5+08:00")]
    [InlineData("2026-11-01T20:00:00.1234567Z")]
    public void FormatInstant_KeepsOffset_AndOnlyTheDigitsThere(string text)
    {
        Assert.Equal(text, EventLogWriter.FormatInstant(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void RoundTrip_OfRandomEvents_IsExact()
    {
        var random = new Random(7);
        var types = Enum.GetValues<EventType>();
        var events = new List<CommunityEvent>();
        for (var i = 0; i < 2_000; i++)
        {
            var type = types[random.Next(types.Length)];
            var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(random.Next(-12, 14)))
                .AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 60));
            events.Add(new CommunityEvent(
                $"e-{i}",
                type,
                $"g-{random.Next(5)}",
                $"m-\"{random.Next(1000)}\\",
                at,
                channel: type != EventType.InviteViewed && random.Next(3) == 0 ? null : "渠道-" + random.Next(4),
                role: random.Next(4) == 0 ? (MemberRole)random.Next(3) : null,
                by: random.Next(2) == 0 ? null : "by\n" + random.Next(9),
                task: CommunityEvent.RequiresTask(type) || random.Next(5) == 0 ? "t-" + random.Next(3) : null,
                amount: type == EventType.Order ? random.NextInt64(0, CommunityEvent.MaxAmount + 1) : null,
                currency: type == EventType.Order ? "CNY" : null,
                nickname: type == EventType.NicknameChanged ? "上海-王芳-设计师 😀" : null));
        }

        var text = Write(events);
        var back = new EventLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

        Assert.Equal(events, back);
        Assert.Equal(events.Select(e => e.At.Offset), back.Select(e => e.At.Offset));
    }

    [Fact]
    public async Task AsyncWrite_MatchesSyncWrite()
    {
        var events = Enumerable.Range(0, 3_000)
            .Select(i => new CommunityEvent($"e{i}", EventType.Message, "g", "m" + i, DateTimeOffset.UnixEpoch.AddMinutes(i)))
            .ToList();
        using var stream = new MemoryStream();
        await using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            foreach (var e in events)
            {
                await writer.WriteAsync(e);
            }

            Assert.Equal(3_000, writer.Count);
        }

        Assert.Equal(Write(events), Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Write(IEnumerable<CommunityEvent> events)
    {
        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
