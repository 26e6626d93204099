using CommunityFunnel.Discord;
using CommunityFunnel.Events;

namespace CommunityFunnel.Platforms.Tests.Discord;

public sealed class DiscordGatewayMapperTests
{
    private const string Guild = "1187654321098765432";
    private const string Ling = "905512345678901234";
    private const string Mod = "700011122233344455";
    private static readonly DateTimeOffset JoinedAt = new(2026, 12, 4, 11, 0, 0, 412, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    internal static readonly DiscordGatewayMapper Mapper = new(new DiscordMapperOptions
    {
        InviteChannels = new Dictionary<string, string> { ["lumenPoster"] = "poster" },
        TaskHashtags = new Dictionary<string, string> { ["#share"] = "share-screenshot" },
        TaskChannels = new Dictionary<string, string> { ["1187654321098765441"] = "share-channel" },
    });

    private static readonly DiscordDelivery ViaPoster = new() { Attribution = new("poster", ChannelAttribution.Exact, "lumenPoster") };

    private static DiscordMappingResult Map(string fixture, DiscordDelivery? delivery = null) => Mapper.Map(Fixture.Read("Discord", fixture), delivery);

    private static CommunityEvent Single(string fixture, DiscordDelivery? delivery = null) => Assert.Single(Map(fixture, delivery).Events);

    [Fact]
    public void MemberAdd_IsJoinedAtJoinedAt_WithTheSuppliedAttribution()
    {
        var result = Map("guild_member_add.json", ViaPoster);
        Assert.Equal((DiscordDispatchKind.GuildMemberAdd, false), (result.Kind, result.PendingScreening));
        var e = Assert.Single(result.Events);
        Assert.Equal($"discord:{Guild}:{Ling}:j{(JoinedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}", e.Id);
        Assert.Equal((EventType.Joined, Guild, Ling, JoinedAt), (e.Type, e.Group, e.Member, e.At));
        Assert.Equal(("poster", (ChannelAttribution?)ChannelAttribution.Exact, "discord:GUILD_MEMBER_ADD"), (e.Channel, e.Attribution, e.Scene));
        Assert.Equal((MemberRole?)MemberRole.Member, e.Role);
    }

    [Fact]
    public void MemberAdd_WithoutAttribution_IsTheExplicitUnknownChannel()
    {
        var e = Single("guild_member_add.json");
        Assert.Equal((DiscordGatewayMapper.UnknownChannel, (ChannelAttribution?)ChannelAttribution.Unknown), (e.Channel, e.Attribution));
    }

    [Fact]
    public void MemberAdd_WithDidRejoin_SaysSoInScene_AndIsANewJoin()
    {
        var rejoin = Single("guild_member_add_rejoin.json");
        Assert.Equal((EventType.Joined, "discord:GUILD_MEMBER_ADD;did_rejoin"), (rejoin.Type, rejoin.Scene));
        Assert.NotEqual(Single("guild_member_add.json").Id, rejoin.Id);
    }

    [Fact]
    public void MemberAdd_OfABot_HasRoleBot() => Assert.Equal((MemberRole?)MemberRole.Bot, Single("guild_member_add_bot.json").Role);

    [Fact]
    public void MemberAdd_Pending_IsNotAJoinYet_TheUpdateThatClearsPendingIs()
    {
        var pending = Map("guild_member_add_pending.json", ViaPoster);
        Assert.Equal((DiscordDispatchKind.GuildMemberAdd, true), (pending.Kind, pending.PendingScreening));
        Assert.Equal((Guild, Ling), (pending.GuildId, pending.UserId)); // what the host keys the pending attribution by
        Assert.Empty(pending.Events);

        var screened = Map("guild_member_update_screened.json", ViaPoster);
        Assert.Equal((DiscordDispatchKind.GuildMemberUpdate, Guild, Ling), (screened.Kind, screened.GuildId, screened.UserId));
        var e = Assert.Single(screened.Events);
        Assert.Equal((EventType.Joined, JoinedAt, "poster", "discord:GUILD_MEMBER_UPDATE;pending=false"), (e.Type, e.At, e.Channel, e.Scene));

        // The same id an unscreened ADD of this membership has: every later UPDATE of the member is a duplicate of it.
        Assert.Equal(Single("guild_member_add.json").Id, e.Id);
    }

    [Theory]
    [InlineData("guild_member_update_still_pending.json")]
    [InlineData("guild_member_update_no_pending.json")]
    public void MemberUpdate_StillPendingOrNotSayingSo_GivesNoEvent(string fixture)
    {
        var result = Map(fixture, ViaPoster);
        Assert.Equal(DiscordDispatchKind.GuildMemberUpdate, result.Kind);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void MemberRemove_IsLeft_AtTheTimeReceived()
    {
        var result = Map("guild_member_remove.json", new() { ReceivedAt = Received, SessionId = "9f3c2a71d0" });
        Assert.Equal((DiscordDispatchKind.GuildMemberRemove, Guild, Ling), (result.Kind, result.GuildId, result.UserId));
        var e = Assert.Single(result.Events);
        Assert.Equal($"discord:{Guild}:{Ling}:remove:9f3c2a71d0:s61", e.Id);
        Assert.Equal((EventType.Left, Guild, Ling, Received, "discord:GUILD_MEMBER_REMOVE"), (e.Type, e.Group, e.Member, e.At, e.Scene));
        Assert.Null(e.By);
    }

    [Fact]
    public void MemberRemove_WithoutASession_UsesTheSequenceAlone_AndTheMappersClock()
    {
        var clock = new FixedTime(Received.AddMinutes(5));
        var e = Assert.Single(new DiscordGatewayMapper(timeProvider: clock).Map(Fixture.Read("Discord", "guild_member_remove.json")).Events);
        Assert.Equal(($"discord:{Guild}:{Ling}:remove:s61", Received.AddMinutes(5)), (e.Id, e.At));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(22)]
    public void MemberRemove_WithAnAuditLogKickHint_IsRemoved_ByTheExecutor(int action)
    {
        var e = Single("guild_member_remove.json", new() { ReceivedAt = Received, Kick = new(Mod, action) });
        Assert.Equal((EventType.Removed, Mod, $"discord:GUILD_MEMBER_REMOVE;audit_action={action}"), (e.Type, e.By, e.Scene));
        Assert.Equal(Single("guild_member_remove.json", new() { ReceivedAt = Received }).Id, e.Id);
    }

    [Theory]
    [InlineData("message_create.json", "1188100000000000001")]
    [InlineData("message_create_hashtag_no_attachment.json", "1188100000000000004")]
    [InlineData("message_create_reply.json", "1188100000000000005")]
    public void MessageCreate_IsAMessage_WithTheMessageId(string fixture, string id)
    {
        var result = Map(fixture);
        Assert.Equal((DiscordDispatchKind.MessageCreate, Guild, Ling), (result.Kind, result.GuildId, result.UserId));
        var e = Assert.Single(result.Events);
        Assert.Equal(($"discord:{Guild}:m{id}", EventType.Message, Guild, Ling), (e.Id, e.Type, e.Group, e.Member));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 11, 5, 12, 518, TimeSpan.Zero), e.At);
        Assert.Null(e.Task);
    }

    [Theory]
    [InlineData("message_create_hashtag_attachment.json", "share-screenshot", "discord:hashtag=#Share")]
    [InlineData("message_create_task_channel.json", "share-channel", "discord:channel=1187654321098765441")]
    public void MessageCreate_WithAnAttachment_AndAHashtagOrInATaskChannel_IsATaskSubmission(string fixture, string task, string scene)
    {
        var e = Single(fixture);
        Assert.Equal((EventType.TaskSubmitted, task, scene), (e.Type, e.Task, e.Scene));
    }

    [Theory]
    [InlineData("message_create_system_join.json")]
    [InlineData("message_create_webhook.json")]
    [InlineData("message_create_dm.json")]
    public void SystemMessages_Webhooks_AndDirectMessages_GiveNoEvent(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(DiscordDispatchKind.MessageCreate, result.Kind);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("heartbeat_ack.json")]
    [InlineData("message_update.json")]
    public void OtherPayloads_AreOther(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(DiscordDispatchKind.Other, result.Kind);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Timestamps_WithZOrFewerDigits_AreRead()
    {
        var json = Fixture.Read("Discord", "guild_member_add.json");
        var zulu = json.Replace("2026-12-04T11:00:00.412000+00:00", "2026-12-04T11:00:00.412Z", StringComparison.Ordinal);
        Assert.NotEqual(json, zulu);
        Assert.Equal(Single("guild_member_add.json").Id, Assert.Single(Mapper.Map(zulu).Events).Id);
        var whole = json.Replace("2026-12-04T11:00:00.412000+00:00", "2026-12-04T19:00:00+08:00", StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero), Assert.Single(Mapper.Map(whole).Events).At);
    }

    [Fact]
    public void AnAttachmentWithAHashtag_InATaskChannel_IsTheHashtagsTask()
    {
        var json = Fixture.Read("Discord", "message_create_task_channel.json");
        var both = json.Replace("\"content\": \"\"", "\"content\": \"#share\"", StringComparison.Ordinal);
        Assert.NotEqual(json, both);
        Assert.Equal("share-screenshot", Assert.Single(Mapper.Map(both).Events).Task);
    }

    [Fact]
    public void NestedTooDeep_IsMalformedJson()
    {
        var json = "{\"op\":0,\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Equal(DiscordError.MalformedJson, Assert.Throws<DiscordException>(() => Mapper.Map(json)).Reason);
    }

    [Fact]
    public void Options_WithAnEmptyKeyOrValue_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new DiscordGatewayMapper(new() { InviteChannels = new Dictionary<string, string> { ["abc"] = "" } }));
        Assert.Throws<ArgumentException>(() => new DiscordGatewayMapper(new() { TaskHashtags = new Dictionary<string, string> { ["#"] = "t" } }));
        Assert.Throws<ArgumentException>(() => new DiscordGatewayMapper(new() { TaskChannels = new Dictionary<string, string> { ["1"] = "" } }));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
