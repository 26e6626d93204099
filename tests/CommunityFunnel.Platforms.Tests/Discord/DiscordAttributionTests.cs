using CommunityFunnel.Activation;
using CommunityFunnel.Discord;
using CommunityFunnel.Events;

namespace CommunityFunnel.Platforms.Tests.Discord;

/// <summary>The invite use-count rule of <see cref="DiscordGatewayMapper.Attribute"/>: one rise is exact, otherwise the largest rise.</summary>
public sealed class DiscordAttributionTests
{
    private static readonly DiscordGatewayMapper Mapper = DiscordGatewayMapperTests.Mapper;

    private static Dictionary<string, int> Uses(params (string Code, int Uses)[] invites) => invites.ToDictionary(i => i.Code, i => i.Uses);

    [Fact]
    public void ExactlyOneInviteRoseByOne_IsExact_ThroughTheChannelMap()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14), ("storeSH01", 3)), Uses(("lumenPoster", 15), ("storeSH01", 3)));
        Assert.Equal(new DiscordJoinAttribution("poster", ChannelAttribution.Exact, "lumenPoster"), a);
    }

    [Fact]
    public void ACodeNotInTheMap_IsTheChannelAsItIs()
    {
        var a = Mapper.Attribute(Uses(("storeSH01", 3)), Uses(("storeSH01", 4)));
        Assert.Equal(("storeSH01", ChannelAttribution.Exact), (a.Channel, a.Attribution));
    }

    [Fact]
    public void ANewInvite_CountsFromZero()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14)), Uses(("lumenPoster", 14), ("fresh01", 1)));
        Assert.Equal(("fresh01", ChannelAttribution.Exact), (a.Channel, a.Attribution));
    }

    [Fact]
    public void OneInviteRoseByTheNumberOfJoins_IsExact()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14)), Uses(("lumenPoster", 17)), joins: 3);
        Assert.Equal(("poster", ChannelAttribution.Exact), (a.Channel, a.Attribution));
    }

    [Fact]
    public void SeveralRose_IsInferred_TheLargestRise()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14), ("storeSH01", 3)), Uses(("lumenPoster", 15), ("storeSH01", 5)), joins: 3);
        Assert.Equal(new DiscordJoinAttribution("storeSH01", ChannelAttribution.Inferred, "storeSH01"), a);
    }

    [Fact]
    public void SeveralRoseEqually_IsInferred_TheSmallestCodeInOrdinalOrder()
    {
        var a = Mapper.Attribute(Uses(("b", 1), ("B", 1)), Uses(("b", 2), ("B", 2)), joins: 2);
        Assert.Equal(("B", ChannelAttribution.Inferred), (a.Channel, a.Attribution));
    }

    [Theory]
    [InlineData(1, 2)] // rose by more than the joins (someone else used it too, or a join was missed)
    [InlineData(3, 2)] // rose by fewer (some joins came another way)
    public void OneRoseByAnotherNumberThanTheJoins_IsInferred(int joins, int rise)
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14)), Uses(("lumenPoster", 14 + rise)), joins);
        Assert.Equal(("poster", ChannelAttribution.Inferred), (a.Channel, a.Attribution));
    }

    [Fact]
    public void OneRoseButAnotherVanished_IsInferred()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14), ("limited5", 4)), Uses(("lumenPoster", 15)));
        Assert.Equal(("poster", ChannelAttribution.Inferred), (a.Channel, a.Attribution));
    }

    [Fact]
    public void NoneRose_ButOneVanished_IsInferred_TheVanishedOne()
    {
        // An invite is deleted when it reaches max_uses: its last use is a join the counts no longer show.
        var a = Mapper.Attribute(Uses(("lumenPoster", 14), ("limited5", 4)), Uses(("lumenPoster", 14)));
        Assert.Equal(new DiscordJoinAttribution("limited5", ChannelAttribution.Inferred, "limited5"), a);
    }

    [Fact]
    public void NothingChanged_IsUnknown()
    {
        Assert.Equal(DiscordJoinAttribution.Unknown, Mapper.Attribute(Uses(("lumenPoster", 14)), Uses(("lumenPoster", 14))));
        Assert.Equal(DiscordJoinAttribution.Unknown, Mapper.Attribute(Uses(), Uses()));
        Assert.Equal((DiscordGatewayMapper.UnknownChannel, ChannelAttribution.Unknown, (string?)null), (DiscordJoinAttribution.Unknown.Channel, DiscordJoinAttribution.Unknown.Attribution, DiscordJoinAttribution.Unknown.InviteCode));
    }

    [Fact]
    public void ACountThatFell_IsNotARise()
    {
        var a = Mapper.Attribute(Uses(("lumenPoster", 14), ("storeSH01", 9)), Uses(("lumenPoster", 15), ("storeSH01", 0)));
        Assert.Equal(("poster", ChannelAttribution.Exact), (a.Channel, a.Attribution));
    }

    [Fact]
    public void NegativeCountsOrNoJoins_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Mapper.Attribute(Uses(("a", -1)), Uses(("a", 1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mapper.Attribute(Uses(("a", 1)), Uses(("a", -1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mapper.Attribute(Uses(), Uses(), joins: 0));
    }

    [Fact]
    public void TheConfidence_IsKeptOnTheJoinedEvent_AndInTheLog()
    {
        var inferred = Mapper.Attribute(Uses(("lumenPoster", 1), ("storeSH01", 1)), Uses(("lumenPoster", 2), ("storeSH01", 2)), joins: 2);
        var e = Assert.Single(Mapper.Map(Fixture.Read("Discord", "guild_member_add.json"), new() { Attribution = inferred }).Events);
        Assert.Equal(("poster", (ChannelAttribution?)ChannelAttribution.Inferred), (e.Channel, e.Attribution));

        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            writer.Write(e);
        }

        Assert.Contains("\"attribution\":\"inferred\"", System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Equal(e, Assert.Single(new EventLogReader().Read(new MemoryStream(stream.ToArray()))));
    }

    [Fact]
    public void ExactInferredAndUnknownJoins_AreCountedAsSuch_InTheActivationBreakdownByChannel()
    {
        var json = Fixture.Read("Discord", "guild_member_add.json");
        var exact = Mapper.Attribute(Uses(("lumenPoster", 1)), Uses(("lumenPoster", 2)));
        var inferred = Mapper.Attribute(Uses(("lumenPoster", 2), ("storeSH01", 0)), Uses(("lumenPoster", 4), ("storeSH01", 1)), joins: 3);
        var events = new[] { ("905512345678901234", exact), ("905512345678901235", inferred), ("905512345678901236", DiscordJoinAttribution.Unknown) }
            .SelectMany(j => Mapper.Map(json.Replace("905512345678901234", j.Item1, StringComparison.Ordinal), new() { Attribution = j.Item2 }).Events)
            .Concat(Mapper.Map(Fixture.Read("Discord", "message_create.json")).Events)
            .ToList();
        Assert.Equal(3, events.Select(e => e.Member).Distinct().Count());

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)) { BreakdownBy = ActivationBreakdownBy.Channel });
        var rows = report.Breakdown.ToDictionary(r => r.Key);
        Assert.Equal(new JoinAttributionCounts(1, 1, 0), rows["poster"].Attribution);
        Assert.Equal(new JoinAttributionCounts(0, 0, 1), rows["unknown"].Attribution);
        Assert.Equal(1, report.Activated); // the first member spoke five minutes after joining
    }
}
