namespace CommunityFunnel.Telegram;

/// <summary>Which field of a Bot API <c>Update</c> was set (<see cref="TelegramMappingResult.Kind"/>).</summary>
public enum TelegramUpdateKind
{
    /// <summary>Another kind of update (<c>my_chat_member</c>, <c>edited_message</c>, <c>channel_post</c>, <c>callback_query</c>, ...): no events.</summary>
    Other,

    /// <summary><c>chat_member</c>: a member's status changed (joined, left, removed, banned, promoted, restricted).</summary>
    ChatMember,

    /// <summary><c>chat_join_request</c>: someone asked to join; not a join (it maps to <c>invite_viewed</c>).</summary>
    ChatJoinRequest,

    /// <summary><c>message</c>: a new message in a group or supergroup.</summary>
    Message,
}
