using CommunityFunnel.Events;

namespace CommunityFunnel.WeCom;

/// <summary>What one <c>change_external_chat</c> callback maps to (<see cref="WeComChatMapper.Map"/>).</summary>
/// <param name="Events">The event-log events, with ids from the chat id, <c>CurMemVer</c> and the member id: a retried
/// callback maps to the same ids, which the reader, the lifecycle and the reward engine ignore the second time.</param>
/// <param name="Resync">Whether, and why, the host should fetch <c>groupchat/get</c> for this group and reconcile.</param>
/// <param name="MemberVersion">The group's member version after this callback (<c>CurMemVer</c>, or the one the host
/// passed in when the callback has none): remember it for the next callback unless a resync is asked for; after a
/// resync remember <see cref="WeComGroupChat.MemberVersion"/> instead.</param>
public sealed record WeComMappingResult(IReadOnlyList<CommunityEvent> Events, WeComResyncReason Resync, string? MemberVersion)
{
    /// <summary>Whether <see cref="Resync"/> asks for a resync.</summary>
    public bool NeedsResync => Resync != WeComResyncReason.None;
}
