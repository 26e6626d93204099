using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.WeCom;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Platforms.Tests.WeCom;

public sealed class WeComChatMapperTests
{
    private const string Chat = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";
    private const string Wang = "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA";
    private const string Li = "wmOgQhDgAAy5f3Ex0iJ0PjI4VIqzBBBB";
    private const string Zhao = "wmOgQhDgAAqrStore7QrCodeAAAA";

    private static readonly WeComChatMapper Mapper = new(new Dictionary<string, string> { ["poster-1118"] = "poster" });

    private static WeComChatChange Change(string fixture)
    {
        Assert.True(WeComChatChange.TryParse(Fixture.Read("WeCom", fixture), out var change));
        return change;
    }

    private static WeComGroupChat Details() => WeComGroupChat.Parse(Fixture.Read("WeCom", "groupchat_get.json"));

    [Fact]
    public void AddMember_WithoutDetails_GivesOneJoinedEachAtCreateTime_AttributedUnknown()
    {
        var result = Mapper.Map(Change("add_member_items.xml"));

        Assert.Equal(WeComResyncReason.None, result.Resync);
        Assert.False(result.NeedsResync);
        Assert.Equal("71217227bbd112ecfe3a49c482195cb4", result.MemberVersion);
        Assert.Equal(3, result.Events.Count);
        var e = result.Events[0];
        Assert.Equal($"wecom:{Chat}:71217227bbd112ecfe3a49c482195cb4:{Wang}", e.Id);
        Assert.Equal((EventType.Joined, Chat, Wang, DateTimeOffset.FromUnixTimeSeconds(1764846000)), (e.Type, e.Group, e.Member, e.At));
        Assert.Equal(("unknown", (ChannelAttribution?)ChannelAttribution.Unknown, "wecom:JoinScene=0"), (e.Channel, e.Attribution, e.Scene));
        Assert.Null(e.Role);
        Assert.Null(e.By);
        Assert.Equal([Wang, Li, "abel"], result.Events.Select(x => x.Member));
    }

    [Fact]
    public void AddMember_WithDetails_TakesChannelFromTheStateMap_RoleFromType_AndTheInvitor()
    {
        var events = Mapper.Map(Change("add_member_items.xml"), details: Details()).Events.ToDictionary(e => e.Member);

        Assert.Equal(("poster", (ChannelAttribution?)ChannelAttribution.Exact, "abel", (MemberRole?)MemberRole.Member), (events[Wang].Channel, events[Wang].Attribution, events[Wang].By, events[Wang].Role));
        Assert.Equal(("unknown", (ChannelAttribution?)ChannelAttribution.Unknown), (events[Li].Channel, events[Li].Attribution));
        Assert.Equal((MemberRole?)MemberRole.Staff, events["abel"].Role);
    }

    [Fact]
    public void AddMember_AStateNotInTheMap_IsTheChannelAsItIs_Exact()
    {
        var e = Assert.Single(Mapper.Map(Change("add_member_qr.xml"), details: Details()).Events);
        Assert.Equal(("store-sh-01", (ChannelAttribution?)ChannelAttribution.Exact, "wecom:JoinScene=3"), (e.Channel, e.Attribution, e.Scene));
    }

    [Fact]
    public void AddMember_AMemberMissingFromTheDetails_IsStillJoined_AsUnknown()
    {
        var details = Details() with { Members = [] };
        var events = Mapper.Map(Change("add_member_items.xml"), details: details).Events;
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(("unknown", ChannelAttribution.Unknown), (e.Channel, e.EffectiveAttribution)));
    }

    [Fact]
    public void Details_OfAnotherGroup_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Mapper.Map(Change("add_member_items.xml"), details: Details() with { ChatId = "wrOther" }));
        Assert.Equal("details", error.ParamName);
    }

    [Fact]
    public void DelMember_QuitScene0_IsLeft_QuitScene1_IsRemoved()
    {
        var left = Assert.Single(Mapper.Map(Change("del_member_left.xml")).Events);
        Assert.Equal((EventType.Left, Li, "wecom:QuitScene=0", $"wecom:{Chat}:5d41402abc4b2a76b9719d911017c592:{Li}"), (left.Type, left.Member, left.Scene, left.Id));
        Assert.Null(left.Channel);
        var removed = Assert.Single(Mapper.Map(Change("del_member_removed.xml")).Events);
        Assert.Equal((EventType.Removed, Zhao, "wecom:QuitScene=1"), (removed.Type, removed.Member, removed.Scene));
    }

    [Fact]
    public void ARetriedCallback_MapsToTheSameEvents()
    {
        var first = Mapper.Map(Change("add_member_items.xml"), "9c3f97c2ada667dfb5f6d03308d963e1").Events;
        var retry = Mapper.Map(Change("add_member_items.xml"), "71217227bbd112ecfe3a49c482195cb4").Events;
        Assert.Equal(first, retry);
    }

    [Fact]
    public void TheOldAndTheNewListForm_MapToTheSameEvents()
    {
        Assert.Equal(Mapper.Map(Change("add_member_items.xml")).Events, Mapper.Map(Change("add_member_cdata.xml")).Events);
    }

    [Theory]
    [InlineData(null, WeComResyncReason.None)]
    [InlineData("9c3f97c2ada667dfb5f6d03308d963e1", WeComResyncReason.None)]
    [InlineData("71217227bbd112ecfe3a49c482195cb4", WeComResyncReason.None)]
    [InlineData("00000000000000000000000000000000", WeComResyncReason.VersionGap)]
    public void VersionChain_AGapBetweenTheKnownVersionAndLastMemVer_AsksForAResync(string? known, WeComResyncReason expected)
    {
        var result = Mapper.Map(Change("add_member_items.xml"), known);
        Assert.Equal(expected, result.Resync);
        Assert.Equal(3, result.Events.Count);
        Assert.Equal("71217227bbd112ecfe3a49c482195cb4", result.MemberVersion);
    }

    [Fact]
    public void VersionChain_ALateCallbackAfterALaterOne_AsksForAResync_AndStillMapsItsEvents()
    {
        // Known: after del_member_left (5d41...). add_member_qr goes 7121... -> 0b6a...: older than what is known.
        var result = Mapper.Map(Change("add_member_qr.xml"), "5d41402abc4b2a76b9719d911017c592");
        Assert.Equal(WeComResyncReason.VersionGap, result.Resync);
        Assert.Single(result.Events);
    }

    [Fact]
    public void AShortList_AsksForAResync_AndMapsTheMembersItHas()
    {
        var result = Mapper.Map(Change("add_member_short.xml"), "7d793037a0760186574b0282f2f435e7");
        Assert.Equal(WeComResyncReason.ShortList, result.Resync);
        Assert.Equal(["wmOgQhDgAAbulk0001AAAAAAAAAAAA", "wmOgQhDgAAbulk0002AAAAAAAAAAAA"], result.Events.Select(e => e.Member));
    }

    [Fact]
    public void AnEmptyList_WithACount_AsksForAResync_WithNoEvents()
    {
        var result = Mapper.Map(Change("add_member_empty.xml"), "e4da3b7fbbce2345d7772b0674a318d5");
        Assert.Equal(WeComResyncReason.ShortList, result.Resync);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("create.xml", WeComResyncReason.GroupCreated)]
    [InlineData("dismiss.xml", WeComResyncReason.GroupDismissed)]
    [InlineData("change_owner.xml", WeComResyncReason.None)]
    [InlineData("change_name.xml", WeComResyncReason.None)]
    [InlineData("change_notice.xml", WeComResyncReason.None)]
    public void OtherChanges_GiveNoEvents_AndKeepTheKnownVersion(string fixture, WeComResyncReason expected)
    {
        var result = Mapper.Map(Change(fixture), "v-known");
        Assert.Empty(result.Events);
        Assert.Equal(expected, result.Resync);
        Assert.Equal("v-known", result.MemberVersion);
    }

    [Fact]
    public void WithoutCurMemVer_IdsComeFromCreateTimeAndTheDetail_StillTheSameOnARetry()
    {
        var xml = Fixture.Read("WeCom", "del_member_left.xml")
            .Replace("<CurMemVer><![CDATA[5d41402abc4b2a76b9719d911017c592]]></CurMemVer>", "", StringComparison.Ordinal);
        Assert.True(WeComChatChange.TryParse(xml, out var change));
        var e = Assert.Single(Mapper.Map(change).Events);
        Assert.Equal($"wecom:{Chat}:t1764932400:del_member:{Li}", e.Id);
        Assert.Equal(WeComResyncReason.None, Mapper.Map(change, "anything").Resync);
    }

    [Fact]
    public void Constructor_RefusesAnEmptyChannelName()
    {
        Assert.Throws<ArgumentException>(() => new WeComChatMapper(new Dictionary<string, string> { ["s"] = "" }));
    }

    [Fact]
    public void ToSnapshot_CarriesJoinTimeChannelAttributionInviterRoleAndRawJoinScene()
    {
        var snapshot = Mapper.ToSnapshot(Details());
        Assert.Equal(4, snapshot.Count);
        Assert.Equal(
            new SnapshotMember(Wang, DateTimeOffset.FromUnixTimeSeconds(1764846000), "poster", "abel")
            {
                Role = MemberRole.Member,
                Attribution = ChannelAttribution.Exact,
                Scene = "wecom:join_scene=2",
            },
            snapshot[1]);
        Assert.Equal(("unknown", (ChannelAttribution?)ChannelAttribution.Unknown, (MemberRole?)MemberRole.Staff, "wecom:join_scene=1"), (snapshot[0].JoinScene, snapshot[0].Attribution, snapshot[0].Role, snapshot[0].Scene));
        Assert.Equal(("store-sh-01", "wecom:join_scene=3"), (snapshot[3].JoinScene, snapshot[3].Scene));
    }

    [Fact]
    public async Task Resync_ThroughTheLifecycle_TurnsLostJoinsAndLeavesIntoEvents_Once()
    {
        using var provider = new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        // Known before: Li (joined by a callback) and a member who has since left without a callback reaching us.
        foreach (var e in Mapper.Map(Change("add_member_items.xml")).Events.Where(e => e.Member == Li))
        {
            await lifecycle.ApplyAsync(e);
        }

        await lifecycle.ApplyAsync(new CommunityEvent("j-gone", EventType.Joined, Chat, "wmGone", DateTimeOffset.FromUnixTimeSeconds(1764800000)));
        var at = DateTimeOffset.FromUnixTimeSeconds(1764850000);

        var events = await lifecycle.ReconcileAsync(Chat, Mapper.ToSnapshot(Details()), at);

        Assert.Equal(["abel", Zhao, Wang], events.Where(e => e.Type == EventType.Joined).Select(e => e.Member).Order(StringComparer.Ordinal));
        var wang = events.Single(e => e.Member == Wang);
        Assert.Equal(("poster", ChannelAttribution.Exact, "wecom:join_scene=2", "abel"), (wang.Channel, wang.EffectiveAttribution, wang.Scene, wang.By));
        Assert.Equal(EventType.Left, events.Single(e => e.Member == "wmGone").Type);
        Assert.Empty(await lifecycle.ReconcileAsync(Chat, Mapper.ToSnapshot(Details()), at));
    }

    [Fact]
    public async Task Dismiss_ReconciledWithAnEmptyList_MakesEveryKnownMemberLeave()
    {
        using var provider = new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        foreach (var e in Mapper.Map(Change("add_member_items.xml")).Events)
        {
            await lifecycle.ApplyAsync(e);
        }

        var dismiss = Change("dismiss.xml");
        Assert.Equal(WeComResyncReason.GroupDismissed, Mapper.Map(dismiss).Resync);
        var left = await lifecycle.ReconcileAsync(dismiss.ChatId, [], dismiss.CreateTime);
        Assert.Equal(3, left.Count);
        Assert.All(left, e => Assert.Equal(EventType.Left, e.Type));
    }

    [Fact]
    public void MappedJoins_AreCountedByAttribution_InTheActivationBreakdownByChannel()
    {
        var events = Mapper.Map(Change("add_member_items.xml"), details: Details()).Events
            .Concat(Mapper.Map(Change("add_member_qr.xml")).Events);
        var report = ActivationCalculator.Calculate(events, new ActivationQuery(DateTimeOffset.FromUnixTimeSeconds(1765000000)) { BreakdownBy = ActivationBreakdownBy.Channel });

        var rows = report.Breakdown.ToDictionary(r => r.Key);
        Assert.Equal(new JoinAttributionCounts(1, 0, 0), rows["poster"].Attribution);
        Assert.Equal(new JoinAttributionCounts(0, 0, 3), rows["unknown"].Attribution);
        Assert.Equal(1, rows["unknown"].Excluded);
    }
}
