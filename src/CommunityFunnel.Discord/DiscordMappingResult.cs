using CommunityFunnel.Events;

namespace CommunityFunnel.Discord;

/// <summary>What one gateway payload maps to (<see cref="DiscordGatewayMapper.Map"/>).</summary>
/// <param name="Kind">Which dispatch it was.</param>
/// <param name="Events">The event-log events: none or one, with ids from the gateway's own ids, so a dispatch replayed
/// after a RESUME (or the same join seen by ADD and by UPDATE) maps to the same id and is ignored the second time.</param>
/// <param name="PendingScreening">A <c>GUILD_MEMBER_ADD</c> of a member still pending membership screening: not a join
/// yet. Keep the join's attribution for this member; pass it with the <c>GUILD_MEMBER_UPDATE</c> that clears
/// <c>pending</c>, which is the join.</param>
public sealed record DiscordMappingResult(DiscordDispatchKind Kind, IReadOnlyList<CommunityEvent> Events, bool PendingScreening = false)
{
    /// <summary>The dispatch's <c>d.guild_id</c> (member dispatches and guild messages), e.g. to key a pending member's attribution.</summary>
    public string? GuildId { get; init; }

    /// <summary>The member's <c>d.user.id</c> (member dispatches) or the message's <c>d.author.id</c>.</summary>
    public string? UserId { get; init; }
}
