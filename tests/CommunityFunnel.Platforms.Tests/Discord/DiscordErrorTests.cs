using CommunityFunnel.Discord;

namespace CommunityFunnel.Platforms.Tests.Discord;

/// <summary>Every <see cref="DiscordError"/>, each naming the field it is about.</summary>
public sealed class DiscordErrorTests
{
    private static readonly DiscordDelivery Delivery = new() { ReceivedAt = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero) };

    private static DiscordException Refuse(string json) =>
        Assert.Throws<DiscordException>(() => DiscordGatewayMapperTests.Mapper.Map(json, Delivery));

    private static string Edit(string fixture, string from, string to)
    {
        var json = Fixture.Read("Discord", fixture);
        var edited = json.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(json, edited); // the edit must change the fixture, or the test proves nothing
        return edited;
    }

    [Fact]
    public void TooLong_IsPayloadTooLarge_BeforeParsing()
    {
        var e = Refuse(new string('{', DiscordGatewayMapper.MaxPayloadLength + 1));
        Assert.Equal((DiscordError.PayloadTooLarge, (string?)null), (e.Reason, e.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"op\": 0,")]
    [InlineData("[]")]
    [InlineData("null")]
    public void NotAJsonObject_IsMalformedJson(string json) => Assert.Equal(DiscordError.MalformedJson, Refuse(json).Reason);

    [Theory]
    [InlineData("guild_member_add.json", "\"op\": 0,", "", "op")]
    [InlineData("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild\": \"1187654321098765432\"", "d.guild_id")]
    [InlineData("guild_member_add.json", "\"joined_at\": \"2026-12-04T11:00:00.412000+00:00\",", "", "d.joined_at")]
    [InlineData("guild_member_update_screened.json", "\"joined_at\": \"2026-12-04T11:00:00.412000+00:00\"", "\"joined_at\": null", "d.joined_at")]
    [InlineData("guild_member_add.json", "\"user\": {", "\"usr\": {", "d.user")]
    [InlineData("guild_member_remove.json", "\"s\": 61,", "", "s")]
    [InlineData("guild_member_remove.json", "\"d\": {", "\"d\": null, \"x\": {", "d")]
    [InlineData("message_create.json", "\"timestamp\": \"2026-12-04T11:05:12.518000+00:00\",", "", "d.timestamp")]
    [InlineData("message_create.json", "\"author\": {", "\"writer\": {", "d.author")]
    public void AFieldMissing_IsMissingField_NamingIt(string fixture, string from, string to, string field)
    {
        var e = Refuse(Edit(fixture, from, to));
        Assert.Equal((DiscordError.MissingField, field), (e.Reason, e.Field));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("guild_member_add.json", "\"op\": 0", "\"op\": \"0\"", "op")]
    [InlineData("guild_member_add.json", "\"t\": \"GUILD_MEMBER_ADD\"", "\"t\": 7", "t")]
    [InlineData("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild_id\": 1187654321098765432", "d.guild_id")]
    [InlineData("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild_id\": \"guild-1\"", "d.guild_id")]
    [InlineData("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild_id\": \"\"", "d.guild_id")]
    [InlineData("guild_member_add.json", "\"id\": \"905512345678901234\"", "\"id\": \"905512345678901234905512345678901234\"", "d.user.id")]
    [InlineData("guild_member_add.json", "\"joined_at\": \"2026-12-04T11:00:00.412000+00:00\"", "\"joined_at\": \"2026-12-04T11:00:00.412000\"", "d.joined_at")]
    [InlineData("guild_member_add.json", "\"joined_at\": \"2026-12-04T11:00:00.412000+00:00\"", "\"joined_at\": \"04.12.2026 11:00\"", "d.joined_at")]
    [InlineData("guild_member_add.json", "\"joined_at\": \"2026-12-04T11:00:00.412000+00:00\"", "\"joined_at\": \"9999-12-31T23:59:59+00:00\"", "d.joined_at")]
    [InlineData("guild_member_add.json", "\"pending\": false", "\"pending\": \"false\"", "d.pending")]
    [InlineData("guild_member_add.json", "\"flags\": 0", "\"flags\": 1.5", "d.flags")]
    [InlineData("guild_member_add.json", "\"d\": {", "\"d\": [], \"x\": {", "d")]
    [InlineData("guild_member_remove.json", "\"s\": 61", "\"s\": \"61\"", "s")]
    [InlineData("message_create.json", "\"type\": 0", "\"type\": \"default\"", "d.type")]
    [InlineData("message_create_hashtag_attachment.json", "\"attachments\": [", "\"attachments\": \"none\", \"x\": [", "d.attachments")]
    public void AFieldOfTheWrongTypeOrForm_IsInvalidField_NamingIt(string fixture, string from, string to, string field)
    {
        var json = Edit(fixture, from, to);
        var e = Refuse(json);
        Assert.Equal((DiscordError.InvalidField, field), (e.Reason, e.Field));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARawLoneSurrogate_IsMalformedJson_NotAnUntypedError()
    {
        // Found by PlatformFuzzTests: the parser's own ArgumentException for text that cannot be UTF-8.
        var json = Edit("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild_id\": \"x\ud83dy\"");
        Assert.Equal(DiscordError.MalformedJson, Assert.Throws<DiscordException>(() => DiscordGatewayMapperTests.Mapper.Map(json, Delivery)).Reason);
    }

    [Fact]
    public void AnEscapedLoneSurrogate_IsInvalidField_NamingIt()
    {
        // Found by PlatformFuzzTests: GetString's InvalidOperationException for an escaped "\ud83d" alone.
        var json = Edit("guild_member_add.json", "\"guild_id\": \"1187654321098765432\"", "\"guild_id\": \"x\\ud83dy\"");
        var e = Assert.Throws<DiscordException>(() => DiscordGatewayMapperTests.Mapper.Map(json, Delivery));
        Assert.Equal((DiscordError.InvalidField, "d.guild_id"), (e.Reason, e.Field));
    }
}
