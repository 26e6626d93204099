using CommunityFunnel.WeCom;

namespace CommunityFunnel.Platforms.Tests.WeCom;

public sealed class WeComGroupChatTests
{
    [Fact]
    public void Parse_ReadsTheFieldsTheMappingUses()
    {
        var chat = WeComGroupChat.Parse(Fixture.Read("WeCom", "groupchat_get.json"));
        Assert.Equal("wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", chat.ChatId);
        Assert.Equal("ZhuShengBen", chat.Owner);
        Assert.Equal("0b6a1c0d7f3e45d2a9c8e7f6d5c4b3a2", chat.MemberVersion);
        Assert.Equal(4, chat.Members.Count);
        Assert.Equal(new WeComGroupMember("abel", 1, DateTimeOffset.FromUnixTimeSeconds(1764842400), 1, "ZhuShengBen", null, "客服小张"), chat.Members[0]);
        Assert.Equal(new WeComGroupMember("wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", 2, DateTimeOffset.FromUnixTimeSeconds(1764846000), 2, "abel", "poster-1118", "顾客老王"), chat.Members[1]);
        Assert.Null(chat.Members[2].State);
        Assert.Null(chat.Members[2].GroupNickname);
        Assert.Equal((3, (string?)null, "store-sh-01"), (chat.Members[3].JoinScene, chat.Members[3].Invitor, chat.Members[3].State));
    }

    [Fact]
    public void Parse_ANonZeroErrcode_IsAnApiError_WithWeComsMessage()
    {
        var error = Assert.Throws<WeComException>(() => WeComGroupChat.Parse(Fixture.Read("WeCom", "groupchat_get_error.json")));
        Assert.Equal(WeComError.ApiError, error.Reason);
        Assert.Contains("errcode 40014: invalid access_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnEmptyUserid_IsRefused_NamingTheEntry()
    {
        var error = Assert.Throws<WeComException>(() => WeComGroupChat.Parse(Fixture.Read("WeCom", "groupchat_get_empty_userid.json")));
        Assert.Equal(WeComError.MalformedJson, error.Reason);
        Assert.Contains("member_list[1].userid is missing or empty", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "{", "is not JSON" },
        { "[]", "not a JSON object" },
        { "{\"errcode\":0}", "group_chat is missing" },
        { "{\"group_chat\":{\"member_list\":[]}}", "group_chat.chat_id is missing or empty" },
        { "{\"group_chat\":{\"chat_id\":\"c\"}}", "member_list is missing or not an array" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[1]}}", "member_list[0] is not an object" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[{\"userid\":\"a\",\"type\":2,\"join_time\":\"x\",\"join_scene\":1}]}}", "member_list[0].join_time is missing or not an integer" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[{\"userid\":\"a\",\"type\":2,\"join_time\":1,\"join_scene\":-1}]}}", "member_list[0].join_scene is -1" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[{\"userid\":7,\"type\":2,\"join_time\":1,\"join_scene\":1}]}}", "member_list[0].userid is not a string" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[{\"userid\":\"a\",\"type\":2,\"join_time\":1,\"join_scene\":1},{\"userid\":\"a\",\"type\":2,\"join_time\":1,\"join_scene\":1}]}}", "member_list[1].userid 'a' appears twice" },
        { "{\"group_chat\":{\"chat_id\":\"c\",\"member_list\":[{\"userid\":\"a\",\"type\":2,\"join_time\":1,\"join_scene\":1,\"state\":\"\\udfff\"}]}}", "member_list[0].state is not valid UTF-16" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Parse_RefusesAnythingElse_NamingTheField(string json, string expected)
    {
        var error = Assert.Throws<WeComException>(() => WeComGroupChat.Parse(json));
        Assert.Equal(WeComError.MalformedJson, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
