using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Telegram;

namespace CommunityFunnel.Platforms.Tests.Telegram;

public sealed class TelegramUpdateMapperTests
{
    private const string Chat = "-1001987654321";
    private const string Wang = "5123456789";
    private const string Admin = "402233445";
    private const long Date = 1764846000;

    internal static readonly TelegramUpdateMapper Mapper = new(new TelegramMapperOptions
    {
        InviteLinkChannels = new Dictionary<string, string> { ["poster-1118"] = "poster" },
        TaskHashtags = new Dictionary<string, string> { ["#share"] = "share-screenshot", ["unboxing"] = "unboxing-photo" },
        TaskPosts = new Dictionary<TelegramMessageKey, string> { [new(-1001987654321, 77)] = "reply-photo" },
    });

    private static TelegramMappingResult Map(string fixture) => Mapper.Map(Fixture.Read("Telegram", fixture));

    private static CommunityEvent Single(string fixture) => Assert.Single(Map(fixture).Events);

    [Fact]
    public void Join_ByTheBotsNamedLink_TakesTheChannelFromTheMap_Exact()
    {
        var result = Map("chat_member_join_named_link.json");
        Assert.Equal((815230001L, TelegramUpdateKind.ChatMember), (result.UpdateId, result.Kind));
        var e = Assert.Single(result.Events);
        Assert.Equal($"telegram:{Chat}:815230001:t{Date}", e.Id);
        Assert.Equal((EventType.Joined, Chat, Wang, DateTimeOffset.FromUnixTimeSeconds(Date)), (e.Type, e.Group, e.Member, e.At));
        Assert.Equal(("poster", (ChannelAttribution?)ChannelAttribution.Exact, "telegram:left->member"), (e.Channel, e.Attribution, e.Scene));
        Assert.Equal((MemberRole?)MemberRole.Member, e.Role);
        Assert.Null(e.By);
    }

    [Fact]
    public void Join_ByANamedLinkNotInTheMap_IsTheNameAsItIs_Exact()
    {
        var e = Single("chat_member_join_unmapped_name.json");
        Assert.Equal(("spring-fair", (ChannelAttribution?)ChannelAttribution.Exact), (e.Channel, e.Attribution));
    }

    [Theory]
    [InlineData("chat_member_join_unnamed_link.json", "telegram:left->member")]
    [InlineData("chat_member_join_masked_link.json", "telegram:left->member")]
    [InlineData("chat_member_join_public.json", "telegram:left->member")]
    [InlineData("chat_member_join_folder_link.json", "telegram:left->member;via_chat_folder_invite_link")]
    public void Join_WithNoUsableLink_IsJoined_WithTheExplicitUnknownChannel(string fixture, string scene)
    {
        var e = Single(fixture);
        Assert.Equal(EventType.Joined, e.Type);
        Assert.Equal((TelegramUpdateMapper.UnknownChannel, (ChannelAttribution?)ChannelAttribution.Unknown, scene), (e.Channel, e.Attribution, e.Scene));
    }

    [Fact]
    public void Join_ByAMaskedLink_IsUnknown_EvenWhenItsNameIsInTheMap()
    {
        // The masked link another admin made carries the name "poster-1118", which the map knows.
        Assert.Contains("poster-1118", Fixture.Read("Telegram", "chat_member_join_masked_link.json"), StringComparison.Ordinal);
        Assert.Equal("unknown", Single("chat_member_join_masked_link.json").Channel);
    }

    [Fact]
    public void Join_AfterAnApprovedRequest_KeepsViaJoinRequest_AndTheApprover()
    {
        var e = Single("chat_member_join_request_approved.json");
        Assert.Equal((EventType.Joined, "poster", "telegram:left->member;via_join_request", Admin), (e.Type, e.Channel, e.Scene, e.By));
    }

    [Fact]
    public void Join_AddedByAnAdmin_NamesTheAdminAsBy()
    {
        var e = Single("chat_member_added_by_admin.json");
        Assert.Equal((EventType.Joined, Admin, "unknown"), (e.Type, e.By, e.Channel));
    }

    [Fact]
    public void Join_AsARestrictedMember_IsJoined()
    {
        var e = Single("chat_member_join_restricted.json");
        Assert.Equal((EventType.Joined, "telegram:left->restricted"), (e.Type, e.Scene));
    }

    [Fact]
    public void Join_RoleComesFromTheStatus_AndIsBot()
    {
        Assert.Equal((MemberRole?)MemberRole.Bot, Single("chat_member_join_bot.json").Role);
        var admin = Single("chat_member_join_administrator.json");
        Assert.Equal((EventType.Joined, (MemberRole?)MemberRole.Staff, "telegram:kicked->administrator"), (admin.Type, admin.Role, admin.Scene));
    }

    [Fact]
    public void Leaving_ByThemselves_IsLeft()
    {
        var e = Single("chat_member_left.json");
        Assert.Equal((EventType.Left, Wang, "telegram:member->left", DateTimeOffset.FromUnixTimeSeconds(Date + 3600)), (e.Type, e.Member, e.Scene, e.At));
        Assert.Null(e.By);
        Assert.Null(e.Channel);
    }

    [Fact]
    public void Kicked_IsRemoved_ABan_KeptRawInScene()
    {
        var e = Single("chat_member_kicked.json");
        Assert.Equal((EventType.Removed, Admin, "telegram:member->kicked"), (e.Type, e.By, e.Scene));
    }

    [Fact]
    public void Left_ByAnotherUsersHand_IsRemoved()
    {
        var e = Single("chat_member_removed_not_banned.json");
        Assert.Equal((EventType.Removed, Admin, "telegram:member->left"), (e.Type, e.By, e.Scene));
    }

    [Fact]
    public void ARestrictedMemberWhoLeaves_IsLeft()
    {
        var e = Single("chat_member_restricted_leaves.json");
        Assert.Equal((EventType.Left, "telegram:restricted->restricted"), (e.Type, e.Scene));
    }

    [Fact]
    public void TheOwnerLeaving_IsLeftNotRemoved_WhenFromIsThemselves()
    {
        var e = Single("chat_member_owner_left.json");
        Assert.Equal((EventType.Left, Admin, "telegram:creator->left"), (e.Type, e.Member, e.Scene));
    }

    [Theory]
    [InlineData("chat_member_promoted.json")]
    [InlineData("chat_member_restricted_in_chat.json")]
    [InlineData("chat_member_unbanned.json")]
    public void ChangesThatNeitherEnterNorLeave_GiveNoEvent(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(TelegramUpdateKind.ChatMember, result.Kind);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void ABanOfSomeoneAlreadyOut_GivesNoEvent()
    {
        var json = Fixture.Read("Telegram", "chat_member_unbanned.json");
        var banned = json.Replace("\"status\": \"kicked\"", "\"status\": \"x\"", StringComparison.Ordinal)
            .Replace("\"status\": \"left\"", "\"status\": \"kicked\"", StringComparison.Ordinal)
            .Replace("\"status\": \"x\"", "\"status\": \"left\"", StringComparison.Ordinal);
        Assert.NotEqual(json, banned);
        var result = Mapper.Map(banned);
        Assert.Equal(TelegramUpdateKind.ChatMember, result.Kind);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void JoinRequest_IsNotAJoin_ItIsInviteViewed_WithTheLinksChannel()
    {
        var result = Map("chat_join_request.json");
        Assert.Equal(TelegramUpdateKind.ChatJoinRequest, result.Kind);
        var e = Assert.Single(result.Events);
        Assert.Equal((EventType.InviteViewed, Chat, Wang, DateTimeOffset.FromUnixTimeSeconds(Date - 60)), (e.Type, e.Group, e.Member, e.At));
        Assert.Equal(("poster", (ChannelAttribution?)ChannelAttribution.Exact, "telegram:chat_join_request"), (e.Channel, e.Attribution, e.Scene));
        Assert.Equal($"telegram:{Chat}:815230020:t{Date - 60}", e.Id);
    }

    [Fact]
    public void JoinRequest_WithoutALink_IsInviteViewed_Unknown()
    {
        var e = Single("chat_join_request_no_link.json");
        Assert.Equal((EventType.InviteViewed, "unknown", (ChannelAttribution?)ChannelAttribution.Unknown), (e.Type, e.Channel, e.Attribution));
    }

    [Theory]
    [InlineData("message_text.json")]
    [InlineData("message_sticker.json")]
    [InlineData("message_photo_plain.json")]
    [InlineData("message_text_hashtag.json")]
    public void Messages_AreMessages(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(TelegramUpdateKind.Message, result.Kind);
        var e = Assert.Single(result.Events);
        Assert.Equal((EventType.Message, Chat, Wang, DateTimeOffset.FromUnixTimeSeconds(Date + 120)), (e.Type, e.Group, e.Member, e.At));
        Assert.Null(e.Task);
        Assert.StartsWith($"telegram:{Chat}:{result.UpdateId}:t", e.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("message_photo_hashtag.json", "share-screenshot", "telegram:hashtag=#Share")]
    [InlineData("message_photo_hashtag_astral.json", "share-screenshot", "telegram:hashtag=#share")]
    [InlineData("message_photo_hashtag_no_entities.json", "unboxing-photo", "telegram:hashtag=#unboxing")]
    [InlineData("message_photo_reply_to_task.json", "reply-photo", "telegram:reply_to=77")]
    public void APhoto_WithAConfiguredHashtagOrReplyingToATaskPost_IsATaskSubmission(string fixture, string task, string scene)
    {
        var e = Single(fixture);
        Assert.Equal((EventType.TaskSubmitted, task, scene, Wang), (e.Type, e.Task, e.Scene, e.Member));
    }

    [Fact]
    public void HashtagOffsets_CountUtf16CodeUnits_AsTelegramDoes()
    {
        // The caption starts with a skin-toned emoji (4 UTF-16 code units, 2 code points): the entity's offset only
        // lands on "#share" in UTF-16 units; the same update with an offset in code points names no hashtag.
        var json = Fixture.Read("Telegram", "message_photo_hashtag_astral.json");
        Assert.Equal(EventType.TaskSubmitted, Assert.Single(Mapper.Map(json).Events).Type);
        var codePoints = json.Replace("\"offset\": 8", "\"offset\": 6", StringComparison.Ordinal);
        Assert.NotEqual(json, codePoints);
        Assert.Equal(EventType.Message, Assert.Single(Mapper.Map(codePoints).Events).Type);
    }

    [Fact]
    public void APhotoWithAHashtag_IsAMessage_WhenNoTaskIsConfigured()
    {
        var e = Assert.Single(new TelegramUpdateMapper().Map(Fixture.Read("Telegram", "message_photo_hashtag.json")).Events);
        Assert.Equal(EventType.Message, e.Type);
    }

    [Theory]
    [InlineData("message_new_chat_members.json")]
    [InlineData("message_sender_chat.json")]
    [InlineData("message_private.json")]
    public void ServiceMessages_AnonymousSenders_AndPrivateChats_GiveNoEvent(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(TelegramUpdateKind.Message, result.Kind);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("my_chat_member.json")]
    [InlineData("edited_message.json")]
    public void OtherUpdates_AreOther_WithNoEvents(string fixture)
    {
        var result = Map(fixture);
        Assert.Equal(TelegramUpdateKind.Other, result.Kind);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void TheSameUpdate_MapsToTheSameEvent()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Telegram")))
        {
            var json = File.ReadAllText(file);
            Assert.Equal(Mapper.Map(json).Events, Mapper.Map(json).Events);
        }
    }

    [Fact]
    public void APhotoWithAHashtag_ThatAlsoRepliesToATaskPost_IsTheHashtagsTask()
    {
        var json = Fixture.Read("Telegram", "message_photo_reply_to_task.json");
        var both = json.Replace("\"reply_to_message\": {", "\"caption\": \"#unboxing\",\n    \"reply_to_message\": {", StringComparison.Ordinal);
        Assert.NotEqual(json, both);
        Assert.Equal("unboxing-photo", Assert.Single(Mapper.Map(both).Events).Task);
    }

    [Fact]
    public void Options_WithAnEmptyChannelHashtagOrTask_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new TelegramUpdateMapper(new() { InviteLinkChannels = new Dictionary<string, string> { ["a"] = "" } }));
        Assert.Throws<ArgumentException>(() => new TelegramUpdateMapper(new() { TaskHashtags = new Dictionary<string, string> { ["#"] = "t" } }));
        Assert.Throws<ArgumentException>(() => new TelegramUpdateMapper(new() { TaskHashtags = new Dictionary<string, string> { ["#a"] = "" } }));
        Assert.Throws<ArgumentException>(() => new TelegramUpdateMapper(new() { TaskPosts = new Dictionary<TelegramMessageKey, string> { [new(1, 2)] = "" } }));
    }

    [Fact]
    public void MappedJoins_AreCountedByAttribution_InTheActivationBreakdownByChannel()
    {
        // Three users (the fixtures' one user, renamed), each joining once; the first one speaks.
        var events = new[] { ("chat_member_join_named_link.json", Wang), ("chat_member_join_masked_link.json", "5123456790"), ("chat_member_join_public.json", "5123456791"), ("message_text.json", Wang) }
            .SelectMany(f => Mapper.Map(Fixture.Read("Telegram", f.Item1).Replace(Wang, f.Item2, StringComparison.Ordinal)).Events)
            .ToList();
        Assert.Equal(3, events.Where(e => e.Type == EventType.Joined).Select(e => e.Member).Distinct().Count());
        var report = ActivationCalculator.Calculate(events, new ActivationQuery(DateTimeOffset.FromUnixTimeSeconds(Date + (3 * 86400))) { BreakdownBy = ActivationBreakdownBy.Channel });

        var rows = report.Breakdown.ToDictionary(r => r.Key);
        Assert.Equal(new JoinAttributionCounts(1, 0, 0), rows["poster"].Attribution);
        Assert.Equal(new JoinAttributionCounts(0, 0, 2), rows["unknown"].Attribution);
        Assert.Equal(1, report.Activated);
    }
}
