namespace CommunityFunnel.Discord;

/// <summary>
/// What the host found in the guild's audit log for a <c>GUILD_MEMBER_REMOVE</c> (the gateway does not tell a leave from
/// a kick): an entry whose <c>target_id</c> is the removed user. With it the removal maps to <c>removed</c>.
/// </summary>
/// <param name="ExecutorId">The entry's <c>user_id</c>: the moderator who kicked or banned (the event's <c>by</c>).</param>
/// <param name="ActionType">The entry's <c>action_type</c>: 20 <c>MEMBER_KICK</c> (default), 22 <c>MEMBER_BAN_ADD</c>, 21
/// <c>MEMBER_PRUNE</c>; kept raw in <c>scene</c>.</param>
public sealed record DiscordKickHint(string? ExecutorId, int ActionType = 20);
