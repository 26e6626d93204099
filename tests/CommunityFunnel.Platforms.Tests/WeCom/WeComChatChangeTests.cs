using CommunityFunnel.WeCom;

namespace CommunityFunnel.Platforms.Tests.WeCom;

public sealed class WeComChatChangeTests
{
    private const string Chat = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";

    private static WeComChatChange Parse(string fixture)
    {
        Assert.True(WeComChatChange.TryParse(Fixture.Read("WeCom", fixture), out var change));
        return change;
    }

    [Fact]
    public void TryParse_ReadsEveryFieldOfAnAddMember_InTheItemForm()
    {
        var change = Parse("add_member_items.xml");
        Assert.Equal(Chat, change.ChatId);
        Assert.Equal(WeComChangeType.Update, change.ChangeType);
        Assert.Equal(WeComUpdateDetail.AddMember, change.UpdateDetail);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764846000), change.CreateTime);
        Assert.Equal(0, change.JoinScene);
        Assert.Null(change.QuitScene);
        Assert.Equal(3, change.MemChangeCnt);
        Assert.Equal(["wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", "wmOgQhDgAAy5f3Ex0iJ0PjI4VIqzBBBB", "abel"], change.MemChangeList);
        Assert.Equal("9c3f97c2ada667dfb5f6d03308d963e1", change.LastMemVer);
        Assert.Equal("71217227bbd112ecfe3a49c482195cb4", change.CurMemVer);
    }

    [Fact]
    public void TryParse_TheOldCommaListForm_GivesTheSameList()
    {
        Assert.Equal(Parse("add_member_items.xml").MemChangeList, Parse("add_member_cdata.xml").MemChangeList);
    }

    [Fact]
    public void TryParse_ADelMember_HasItsQuitScene()
    {
        Assert.Equal((WeComUpdateDetail.DelMember, (int?)0), (Parse("del_member_left.xml").UpdateDetail, Parse("del_member_left.xml").QuitScene));
        Assert.Equal(1, Parse("del_member_removed.xml").QuitScene);
        Assert.Equal(["wmOgQhDgAAqrStore7QrCodeAAAA"], Parse("del_member_removed.xml").MemChangeList);
    }

    [Fact]
    public void TryParse_AnEmptyList_IsEmpty_ButKeepsItsCount()
    {
        var change = Parse("add_member_empty.xml");
        Assert.Empty(change.MemChangeList);
        Assert.Equal(2, change.MemChangeCnt);
    }

    [Theory]
    [InlineData("create.xml", WeComChangeType.Create, WeComUpdateDetail.None)]
    [InlineData("dismiss.xml", WeComChangeType.Dismiss, WeComUpdateDetail.None)]
    [InlineData("change_owner.xml", WeComChangeType.Update, WeComUpdateDetail.ChangeOwner)]
    [InlineData("change_name.xml", WeComChangeType.Update, WeComUpdateDetail.ChangeName)]
    [InlineData("change_notice.xml", WeComChangeType.Update, WeComUpdateDetail.ChangeNotice)]
    public void TryParse_ReadsEveryChangeTypeAndUpdateDetail(string fixture, WeComChangeType type, WeComUpdateDetail detail)
    {
        var change = Parse(fixture);
        Assert.Equal((type, detail), (change.ChangeType, change.UpdateDetail));
        Assert.Empty(change.MemChangeList);
        Assert.Null(change.CurMemVer);
    }

    [Fact]
    public void TryParse_AnUnknownUpdateDetail_IsOther()
    {
        var xml = Fixture.Read("WeCom", "change_name.xml").Replace("change_name", "change_avatar", StringComparison.Ordinal);
        Assert.True(WeComChatChange.TryParse(xml, out var change));
        Assert.Equal(WeComUpdateDetail.Other, change.UpdateDetail);
    }

    [Fact]
    public void TryParse_AnotherEvent_IsFalse_NotAnError()
    {
        Assert.False(WeComChatChange.TryParse(Fixture.Read("WeCom", "change_external_contact.xml"), out var change));
        Assert.Null(change);
    }

    [Fact]
    public void TryParse_ListsWithSpacesEmptyEntriesAndDuplicates_AreCleanedUp()
    {
        var xml = Fixture.Read("WeCom", "add_member_cdata.xml").Replace(
            "<![CDATA[wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA,wmOgQhDgAAy5f3Ex0iJ0PjI4VIqzBBBB,abel]]>",
            "<![CDATA[ a , ,b,a,]]>",
            StringComparison.Ordinal);
        Assert.True(WeComChatChange.TryParse(xml, out var change));
        Assert.Equal(["a", "b"], change.MemChangeList);
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { "<CreateTime>1764846000</CreateTime>", "<CreateTime>soon</CreateTime>", "<CreateTime> is not a non-negative integer" },
        { "<CreateTime>1764846000</CreateTime>", "<CreateTime>-5</CreateTime>", "<CreateTime> is not a non-negative integer" },
        { "<CreateTime>1764846000</CreateTime>", "<CreateTime>99999999999999</CreateTime>", "<CreateTime> 99999999999999 is out of range" },
        { "<CreateTime>1764846000</CreateTime>", "", "has no <CreateTime>" },
        { "<ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>", "<ChatId></ChatId>", "has no <ChatId> or it is empty" },
        { "<ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>", "<ChatId>a</ChatId><ChatId>b</ChatId>", "has <ChatId> twice" },
        { "<![CDATA[update]]>", "<![CDATA[upgrade]]>", "<ChangeType> 'upgrade' is not create, update or dismiss" },
        { "<JoinScene>0</JoinScene>", "<JoinScene>zero</JoinScene>", "<JoinScene> is not a non-negative integer" },
        { "<MemChangeCnt>3</MemChangeCnt>", "<MemChangeCnt>99999999999</MemChangeCnt>", "<MemChangeCnt> is out of range" },
        { "<Item><![CDATA[abel]]></Item>", "<Member>abel</Member>", "holds <Member>, not <Item>" },
        { "</xml>", "", "not well-formed" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void TryParse_RefusesAMalformedChange_NamingTheElement(string from, string to, string expected)
    {
        var xml = Fixture.Read("WeCom", "add_member_items.xml").Replace(from, to, StringComparison.Ordinal);
        var error = Assert.Throws<WeComException>(() => WeComChatChange.TryParse(xml, out _));
        Assert.Equal(WeComError.MalformedXml, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RefusesADtdInTheDecryptedMessage()
    {
        var xml = "<!DOCTYPE xml [<!ENTITY e \"change_external_chat\">]>" + Fixture.Read("WeCom", "create.xml").Replace("<![CDATA[change_external_chat]]>", "&e;", StringComparison.Ordinal);
        Assert.Equal(WeComError.MalformedXml, Assert.Throws<WeComException>(() => WeComChatChange.TryParse(xml, out _)).Reason);
    }
}
