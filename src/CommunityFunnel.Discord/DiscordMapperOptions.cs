namespace CommunityFunnel.Discord;

/// <summary>What the host tells the Discord mapper: its invites' channels and its tasks.</summary>
public sealed record DiscordMapperOptions
{
    /// <summary>Channel names by invite code (e.g. <c>{"lumenPoster": "poster"}</c>); a code not in the map is the channel as it is.</summary>
    public IReadOnlyDictionary<string, string> InviteChannels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Task ids by hashtag (with or without the leading <c>#</c>, compared case-insensitively): a message with an
    /// attachment whose <c>content</c> carries the hashtag is a <c>task_submitted</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> TaskHashtags { get; init; } = new Dictionary<string, string>();

    /// <summary>Task ids by channel id (a snowflake): a message with an attachment in that channel is a <c>task_submitted</c>.</summary>
    public IReadOnlyDictionary<string, string> TaskChannels { get; init; } = new Dictionary<string, string>();
}
