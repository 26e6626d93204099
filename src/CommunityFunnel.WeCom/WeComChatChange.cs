using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;
using CommunityFunnel.Events;

namespace CommunityFunnel.WeCom;

/// <summary>
/// A decrypted <c>change_external_chat</c> callback (客户群变更事件), with WeCom's field names. Read it with
/// <see cref="TryParse"/> from the XML <see cref="WeComCallbackCrypto.DecryptMessage"/> returns; map it with
/// <see cref="WeComChatMapper.Map"/>.
/// </summary>
public sealed record WeComChatChange
{
    /// <summary><c>ChatId</c>: the customer group id.</summary>
    public required string ChatId { get; init; }

    /// <summary><c>ChangeType</c>: create, update or dismiss.</summary>
    public required WeComChangeType ChangeType { get; init; }

    /// <summary><c>UpdateDetail</c> of an update; <see cref="WeComUpdateDetail.None"/> when absent.</summary>
    public WeComUpdateDetail UpdateDetail { get; init; }

    /// <summary><c>CreateTime</c>: when WeCom sent the change (Unix seconds, as UTC).</summary>
    public required DateTimeOffset CreateTime { get; init; }

    /// <summary><c>JoinScene</c> of an <c>add_member</c>: 0 invited by a member (directly or by invite link), 3 scanned the group QR code.</summary>
    public int? JoinScene { get; init; }

    /// <summary><c>QuitScene</c> of a <c>del_member</c>: 0 left, 1 removed by the owner or an admin.</summary>
    public int? QuitScene { get; init; }

    /// <summary><c>MemChangeCnt</c>: how many members changed (may be more than <see cref="MemChangeList"/> holds).</summary>
    public int? MemChangeCnt { get; init; }

    /// <summary><c>MemChangeList</c>: the ids of the members that changed, from either form (a comma list or <c>&lt;Item&gt;</c>s), duplicates removed.</summary>
    public IReadOnlyList<string> MemChangeList { get; init; } = [];

    /// <summary><c>LastMemVer</c>: the group's member version before this change.</summary>
    public string? LastMemVer { get; init; }

    /// <summary><c>CurMemVer</c>: the group's member version after this change.</summary>
    public string? CurMemVer { get; init; }

    /// <summary>
    /// Reads a decrypted callback message. Returns <see langword="false"/> for a well-formed message that is another
    /// event (not <c>change_external_chat</c>), so a host can route it elsewhere.
    /// </summary>
    /// <param name="xml">The decrypted message XML.</param>
    /// <param name="change">The change, when it is one.</param>
    /// <exception cref="WeComException">Not well-formed, a DTD, too long, or a <c>change_external_chat</c> with a
    /// missing or malformed element (<see cref="WeComError.MalformedXml"/>, <see cref="WeComError.PayloadTooLarge"/>).</exception>
    public static bool TryParse(string xml, [NotNullWhen(true)] out WeComChatChange? change)
    {
        const string What = "change_external_chat message";
        var root = SafeXml.Root(xml, "callback message");
        change = null;
        if (!string.Equals(SafeXml.Text(root, "Event", What)?.Trim(), "change_external_chat", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var createTime = SafeXml.Integer(root, "CreateTime", What)
            ?? throw new WeComException(WeComError.MalformedXml, $"The {What} has no <CreateTime>.");
        if (createTime > CommunityEvent.MaxAt.ToUnixTimeSeconds() || createTime < CommunityEvent.MinAt.ToUnixTimeSeconds())
        {
            throw new WeComException(WeComError.MalformedXml, $"The {What}'s <CreateTime> {createTime} is out of range.");
        }

        var changeType = SafeXml.RequiredText(root, "ChangeType", What).Trim() switch
        {
            "create" => WeComChangeType.Create,
            "update" => WeComChangeType.Update,
            "dismiss" => WeComChangeType.Dismiss,
            var other => throw new WeComException(WeComError.MalformedXml, $"The {What}'s <ChangeType> '{SafeXml.Shorten(other)}' is not create, update or dismiss."),
        };

        var detail = SafeXml.Text(root, "UpdateDetail", What)?.Trim() switch
        {
            null or "" => WeComUpdateDetail.None,
            "add_member" => WeComUpdateDetail.AddMember,
            "del_member" => WeComUpdateDetail.DelMember,
            "change_owner" => WeComUpdateDetail.ChangeOwner,
            "change_name" => WeComUpdateDetail.ChangeName,
            "change_notice" => WeComUpdateDetail.ChangeNotice,
            _ => WeComUpdateDetail.Other,
        };

        change = new WeComChatChange
        {
            ChatId = SafeXml.RequiredText(root, "ChatId", What).Trim(),
            ChangeType = changeType,
            UpdateDetail = detail,
            CreateTime = DateTimeOffset.FromUnixTimeSeconds(createTime),
            JoinScene = SafeXml.SmallInteger(root, "JoinScene", What),
            QuitScene = SafeXml.SmallInteger(root, "QuitScene", What),
            MemChangeCnt = SafeXml.SmallInteger(root, "MemChangeCnt", What),
            MemChangeList = Members(root, What),
            LastMemVer = Version(root, "LastMemVer", What),
            CurMemVer = Version(root, "CurMemVer", What),
        };
        return true;
    }

    private static string? Version(XElement root, string name, string what)
    {
        var text = SafeXml.Text(root, name, what)?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    // Before WeCom 4.8 MemChangeList was one CDATA comma list; since, one <Item> per member. Both are read.
    private static string[] Members(XElement root, string what)
    {
        XElement? list = null;
        foreach (var e in root.Elements("MemChangeList"))
        {
            if (list is not null)
            {
                throw new WeComException(WeComError.MalformedXml, $"The {what} has <MemChangeList> twice.");
            }

            list = e;
        }

        if (list is null)
        {
            return [];
        }

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = list.Elements().ToList();
        IEnumerable<string> raw = items.Count > 0
            ? items.Select(item => item.Name.LocalName == "Item"
                ? item.Value
                : throw new WeComException(WeComError.MalformedXml, $"The {what}'s <MemChangeList> holds <{item.Name.LocalName}>, not <Item>."))
            : list.Value.Split(',');
        foreach (var value in raw)
        {
            var id = value.Trim();
            if (id.Length > 0 && seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }
}
