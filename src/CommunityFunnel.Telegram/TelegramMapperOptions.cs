namespace CommunityFunnel.Telegram;

/// <summary>What the host tells the Telegram mapper: its invite links' channels and its tasks.</summary>
public sealed record TelegramMapperOptions
{
    /// <summary>
    /// Channel names by invite link <c>name</c> (the name the bot gave the link in <c>createChatInviteLink</c>,
    /// 0–32 characters), e.g. <c>{"poster-1118": "poster"}</c>. A name of a link the bot created that is not in the map
    /// is the channel as it is.
    /// </summary>
    public IReadOnlyDictionary<string, string> InviteLinkChannels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Task ids by hashtag (with or without the leading <c>#</c>, compared case-insensitively), e.g.
    /// <c>{"#share": "share-screenshot"}</c>: a photo whose caption carries the hashtag is a <c>task_submitted</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> TaskHashtags { get; init; } = new Dictionary<string, string>();

    /// <summary>Task ids by the task's post: a photo sent as a reply to that message is a <c>task_submitted</c>.</summary>
    public IReadOnlyDictionary<TelegramMessageKey, string> TaskPosts { get; init; } = new Dictionary<TelegramMessageKey, string>();
}
