namespace CommunityFunnel.WeCom;

/// <summary>One entry of <c>group_chat.member_list</c> in a <c>externalcontact/groupchat/get</c> response, with WeCom's field names.</summary>
/// <param name="UserId"><c>userid</c>: a corp member's userid, or an external contact's external_userid.</param>
/// <param name="Type"><c>type</c>: 1 a member of the corp (staff), 2 an external contact.</param>
/// <param name="JoinTime"><c>join_time</c>: when the member joined (Unix seconds, as UTC).</param>
/// <param name="JoinScene"><c>join_scene</c>: 1 invited directly by a member, 2 by a member's invite link, 3 scanned the group QR code.
/// (Not the callback's <c>JoinScene</c> codes.)</param>
/// <param name="Invitor"><c>invitor.userid</c>: the corp member who invited them, when WeCom says.</param>
/// <param name="State"><c>state</c>: the <c>state</c> of the 「加入群聊」 join way they came through (at most 30 characters), when any.</param>
/// <param name="GroupNickname"><c>group_nickname</c>: their nickname in the group.</param>
public sealed record WeComGroupMember(
    string UserId,
    int Type,
    DateTimeOffset JoinTime,
    int JoinScene,
    string? Invitor = null,
    string? State = null,
    string? GroupNickname = null);
