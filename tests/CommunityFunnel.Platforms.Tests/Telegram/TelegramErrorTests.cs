using CommunityFunnel.Telegram;

namespace CommunityFunnel.Platforms.Tests.Telegram;

/// <summary>Every <see cref="TelegramError"/>, each naming the field it is about.</summary>
public sealed class TelegramErrorTests
{
    private static TelegramException Refuse(string json) =>
        Assert.Throws<TelegramException>(() => TelegramUpdateMapperTests.Mapper.Map(json));

    private static string Edit(string fixture, string from, string to)
    {
        var json = Fixture.Read("Telegram", fixture);
        var edited = json.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(json, edited); // the edit must change the fixture, or the test proves nothing
        return edited;
    }

    [Fact]
    public void TooLong_IsPayloadTooLarge_BeforeParsing()
    {
        var e = Refuse(new string('[', TelegramUpdateMapper.MaxUpdateLength + 1));
        Assert.Equal(TelegramError.PayloadTooLarge, e.Reason);
        Assert.Null(e.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"update_id\": 1,")]
    [InlineData("[1, 2]")]
    [InlineData("\"update\"")]
    public void NotAJsonObject_IsMalformedJson(string json) => Assert.Equal(TelegramError.MalformedJson, Refuse(json).Reason);

    [Fact]
    public void NestedTooDeep_IsMalformedJson()
    {
        var json = "{\"update_id\":1,\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Equal(TelegramError.MalformedJson, Refuse(json).Reason);
    }

    [Theory]
    [InlineData("chat_member_left.json", "\"update_id\": 815230012,", "", "update_id")]
    [InlineData("chat_member_left.json", "\"status\": \"left\"", "\"statuz\": \"left\"", "chat_member.new_chat_member.status")]
    [InlineData("chat_member_left.json", "\"date\": 1764849600,", "", "chat_member.date")]
    [InlineData("chat_member_join_restricted.json", "\"is_member\": true,", "", "chat_member.new_chat_member.is_member")]
    [InlineData("chat_member_join_named_link.json", "\"invite_link\": \"https://t.me/+Xk3PqR7vLmE4ZjQ1\",", "", "chat_member.invite_link.invite_link")]
    [InlineData("chat_join_request.json", "\"from\"", "\"frm\"", "chat_join_request.from")]
    [InlineData("message_text.json", "\"message_id\": 1201,", "", "message.message_id")]
    [InlineData("message_photo_reply_to_task.json", "\"message_id\": 77", "\"message_id\": null", "message.reply_to_message.message_id")]
    public void AFieldMissing_IsMissingField_NamingIt(string fixture, string from, string to, string field)
    {
        var e = Refuse(Edit(fixture, from, to));
        Assert.Equal((TelegramError.MissingField, field), (e.Reason, e.Field));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat_member_left.json", "\"update_id\": 815230012", "\"update_id\": \"815230012\"", "update_id")]
    [InlineData("chat_member_left.json", "\"status\": \"left\"", "\"status\": \"gone\"", "chat_member.new_chat_member.status")]
    [InlineData("chat_member_left.json", "\"date\": 1764849600", "\"date\": 1e3", "chat_member.date")]
    [InlineData("chat_member_left.json", "\"date\": 1764849600", "\"date\": 999999999999", "chat_member.date")]
    [InlineData("chat_member_left.json", "\"id\": -1001987654321", "\"id\": -1001987654321.5", "chat_member.chat.id")]
    [InlineData("chat_member_join_restricted.json", "\"is_member\": true", "\"is_member\": 1", "chat_member.new_chat_member.is_member")]
    [InlineData("chat_member_join_request_approved.json", "\"via_join_request\": true", "\"via_join_request\": \"yes\"", "chat_member.via_join_request")]
    [InlineData("chat_member_join_named_link.json", "\"name\": \"poster-1118\"", "\"name\": 1118", "chat_member.invite_link.name")]
    [InlineData("chat_member_left.json", "\"chat_member\": {", "\"chat_member\": [], \"x\": {", "chat_member")]
    [InlineData("message_photo_hashtag.json", "\"length\": 6", "\"length\": 600", "message.caption_entities[0].offset")]
    [InlineData("message_photo_hashtag.json", "\"caption_entities\": [", "\"caption_entities\": [1, ", "message.caption_entities[0]")]
    public void AFieldOfTheWrongTypeOrRange_IsInvalidField_NamingIt(string fixture, string from, string to, string field)
    {
        var e = Assert.Throws<TelegramException>(() => TelegramUpdateMapperTests.Mapper.Map(Edit(fixture, from, to)));
        Assert.Equal((TelegramError.InvalidField, field), (e.Reason, e.Field));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARawLoneSurrogate_IsMalformedJson_NotAnUntypedError()
    {
        // Found by PlatformFuzzTests: the parser's own ArgumentException for text that cannot be UTF-8.
        var json = Edit("chat_member_join_named_link.json", "\"name\": \"poster-1118\"", "\"name\": \"x\ud83dy\"");
        Assert.Equal(TelegramError.MalformedJson, Assert.Throws<TelegramException>(() => TelegramUpdateMapperTests.Mapper.Map(json)).Reason);
    }

    [Fact]
    public void AnEscapedLoneSurrogate_IsInvalidField_NamingIt()
    {
        // Found by PlatformFuzzTests: GetString's InvalidOperationException for an escaped "\ud83d" alone.
        var json = Edit("chat_member_join_named_link.json", "\"name\": \"poster-1118\"", "\"name\": \"x\\ud83dy\"");
        var e = Assert.Throws<TelegramException>(() => TelegramUpdateMapperTests.Mapper.Map(json));
        Assert.Equal((TelegramError.InvalidField, "chat_member.invite_link.name"), (e.Reason, e.Field));
    }
}
