using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

/// <summary>The event-log/v1.1 fields <c>attribution</c> and <c>scene</c> (docs/event-log.md): read, written, checked.</summary>
public sealed class EventLogV11FieldsTests
{
    private static List<CommunityEvent> ReadAll(string text) =>
        new EventLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

    [Theory]
    [InlineData("exact", ChannelAttribution.Exact)]
    [InlineData("inferred", ChannelAttribution.Inferred)]
    [InlineData("unknown", ChannelAttribution.Unknown)]
    public void Attribution_IsRead_ByItsWireName(string wire, ChannelAttribution expected)
    {
        var e = Assert.Single(ReadAll($$"""{"id":"1","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","channel":"c","attribution":"{{wire}}","scene":"wecom:join_scene=3"}"""));

        Assert.Equal(expected, e.Attribution);
        Assert.Equal(expected, e.EffectiveAttribution);
        Assert.Equal("wecom:join_scene=3", e.Scene);
        Assert.Equal(wire, expected.ToWireName());
    }

    [Fact]
    public void Attribution_OtherThanTheThreeNames_IsAnError_WithItsLineAndRule()
    {
        var error = Assert.Throws<EventLogException>(() => ReadAll(
            "\n" + """{"id":"1","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","attribution":"Exact"}"""));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(EventLogRule.InvalidAttribution, error.Rule);
        Assert.Contains("'Exact'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribution_OfTheWrongJsonType_IsAWrongFieldType()
    {
        var error = Assert.Throws<EventLogException>(() => ReadAll(
            """{"id":"1","type":"joined","group":"g","member":"m","at":"2026-11-01T00:00:00Z","scene":3}"""));

        Assert.Equal(EventLogRule.WrongFieldType, error.Rule);
    }

    [Fact]
    public void AV1Line_HasNoAttribution_AndItsEffectiveAttributionFollowsTheChannel()
    {
        var events = ReadAll(
            """{"id":"1","type":"joined","group":"g","member":"a","at":"2026-11-01T00:00:00Z","channel":"poster"}""" + "\n" +
            """{"id":"2","type":"joined","group":"g","member":"b","at":"2026-11-01T00:00:00Z"}""");

        Assert.All(events, e => Assert.Null(e.Attribution));
        Assert.Equal(ChannelAttribution.Exact, events[0].EffectiveAttribution);
        Assert.Equal(ChannelAttribution.Unknown, events[1].EffectiveAttribution);
        Assert.All(events, e => Assert.Null(e.Scene));
    }

    [Fact]
    public void Writer_WritesTheV11Fields_OnlyWhenSet_AndTheyReadBack()
    {
        var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        CommunityEvent[] events =
        [
            new("1", EventType.Joined, "g", "a", at, channel: "poster", attribution: ChannelAttribution.Inferred, scene: "discord:invite-diff"),
            new("2", EventType.Joined, "g", "b", at, channel: "poster"),
        ];
        var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"attribution\":\"inferred\",\"scene\":\"discord:invite-diff\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("attribution", text.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(events, ReadAll(text));
    }

    [Fact]
    public void Constructor_RefusesAnUndefinedAttribution()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CommunityEvent(
            "1", EventType.Joined, "g", "m", DateTimeOffset.UnixEpoch, attribution: (ChannelAttribution)7));

        Assert.Equal("attribution", error.ParamName);
    }

    [Fact]
    public void InviteViewed_IsRead_WithItsVisitorAndChannel_AndWrittenBackTheSame()
    {
        const string line = """{"id":"v1","type":"invite_viewed","group":"g-1","member":"v-8f2c","at":"2026-11-01T20:14:00+08:00","channel":"poster","scene":"h5:landing"}""";

        var e = Assert.Single(ReadAll(line));

        Assert.Equal((EventType.InviteViewed, "g-1", "v-8f2c", "poster", "h5:landing"), (e.Type, e.Group, e.Member, e.Channel, e.Scene));
        Assert.Equal("invite_viewed", e.Type.ToWireName());
        var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            writer.Write(e);
        }

        Assert.Equal(line + "\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("""{"id":"v","type":"invite_viewed","group":"g","member":"v-1","at":"2026-11-01T00:00:00Z"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"v","type":"invite_viewed","group":"g","member":"v-1","at":"2026-11-01T00:00:00Z","channel":""}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"v","type":"invite_viewed","group":"g","member":"v-1","at":"2026-11-01T00:00:00Z","channel":7}""", EventLogRule.WrongFieldType)]
    [InlineData("""{"id":"v","type":"invite_viewed","group":"g","at":"2026-11-01T00:00:00Z","channel":"poster"}""", EventLogRule.MissingField)]
    [InlineData("""{"id":"v","type":"Invite_Viewed","group":"g","member":"v-1","at":"2026-11-01T00:00:00Z","channel":"poster"}""", EventLogRule.UnknownType)]
    public void InviteViewed_WithoutAChannelOrVisitor_IsAnError_WithItsLineAndRule(string bad, EventLogRule rule)
    {
        var error = Assert.Throws<EventLogException>(() => ReadAll("\n" + bad));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(rule, error.Rule);
    }

    [Fact]
    public void InviteViewed_InCode_RequiresAChannel()
    {
        var error = Assert.Throws<ArgumentException>(() => new CommunityEvent("v", EventType.InviteViewed, "g", "v-1", DateTimeOffset.UnixEpoch));

        Assert.Equal("channel", error.ParamName);
    }
}
