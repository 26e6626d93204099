using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.WeCom;

/// <summary>
/// Maps WeCom customer-group callbacks and fetched member lists to event-log/v1.1 events and snapshots. Pure and
/// thread-safe: the host passes in what it received, what it fetched and the member version it last knew.
/// </summary>
/// <remarks>
/// Channel attribution: the <c>state</c> of a member's 「加入群聊」 join way is its channel, through the host's map
/// (a state not in the map is the channel as it is), with attribution <c>exact</c>; a member with no state gets
/// the explicit channel <see cref="UnknownChannel"/> with attribution <c>unknown</c> and is never dropped. A callback
/// carries no state: its joins are attributed only when the host passes the group's details along.
/// </remarks>
public sealed class WeComChatMapper
{
    /// <summary>The channel of a join WeCom names no <c>state</c> for.</summary>
    public const string UnknownChannel = "unknown";

    private readonly Dictionary<string, string> _stateChannels;

    /// <summary>Creates a mapper.</summary>
    /// <param name="stateChannels">Channel names by join-way <c>state</c>, e.g. <c>{"poster-1118": "poster"}</c>; none by default.</param>
    /// <exception cref="ArgumentException">A channel name is empty.</exception>
    public WeComChatMapper(IReadOnlyDictionary<string, string>? stateChannels = null)
    {
        _stateChannels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (state, channel) in stateChannels ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(channel))
            {
                throw new ArgumentException($"The channel for state '{state}' is empty.", nameof(stateChannels));
            }

            _stateChannels[state] = channel;
        }
    }

    /// <summary>
    /// Maps one callback. <c>add_member</c> gives one <c>joined</c> per member, <c>del_member</c> one <c>left</c>
    /// (<c>QuitScene</c> 0) or <c>removed</c> (1) per member, at <c>CreateTime</c>, with the raw scene code in
    /// <c>scene</c> (<c>wecom:JoinScene=0</c>, <c>wecom:QuitScene=1</c>); the other changes give no events. Event ids
    /// are <c>wecom:CHATID:CURMEMVER:MEMBER</c> (without a <c>CurMemVer</c>: <c>wecom:CHATID:tCREATETIME:DETAIL:MEMBER</c>).
    /// </summary>
    /// <param name="change">The callback.</param>
    /// <param name="knownMemberVersion">The member version the host last knew for this group (the previous result's
    /// <see cref="WeComMappingResult.MemberVersion"/>, or a resync's), or <see langword="null"/> when it knows none.</param>
    /// <param name="details">The group's <c>groupchat/get</c> details, when the host fetched them for this callback:
    /// the joins then take each member's channel (from <c>state</c>), role (<c>type</c> 1 is staff) and inviter.
    /// Without them a join has channel <see cref="UnknownChannel"/>, attribution <c>unknown</c> and no role.</param>
    /// <exception cref="ArgumentException"><paramref name="details"/> is of another group.</exception>
    public WeComMappingResult Map(WeComChatChange change, string? knownMemberVersion = null, WeComGroupChat? details = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (details is not null && !string.Equals(details.ChatId, change.ChatId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The details are of group '{details.ChatId}', the callback of '{change.ChatId}'.", nameof(details));
        }

        var version = change.CurMemVer ?? knownMemberVersion;
        switch (change.ChangeType)
        {
            case WeComChangeType.Create:
                return new([], WeComResyncReason.GroupCreated, version);
            case WeComChangeType.Dismiss:
                return new([], WeComResyncReason.GroupDismissed, version);
        }

        var resync = WeComResyncReason.None;
        if (knownMemberVersion is not null && change.LastMemVer is not null && change.CurMemVer is not null
            && !string.Equals(knownMemberVersion, change.LastMemVer, StringComparison.Ordinal)
            && !string.Equals(knownMemberVersion, change.CurMemVer, StringComparison.Ordinal))
        {
            resync = WeComResyncReason.VersionGap;
        }
        else if (change.UpdateDetail is WeComUpdateDetail.AddMember or WeComUpdateDetail.DelMember
            && change.MemChangeCnt is { } count && count > change.MemChangeList.Count)
        {
            resync = WeComResyncReason.ShortList;
        }

        var events = change.UpdateDetail switch
        {
            WeComUpdateDetail.AddMember => Joins(change, details),
            WeComUpdateDetail.DelMember => Leaves(change),
            _ => [],
        };
        return new(events, resync, version);
    }

    /// <summary>
    /// The member list of fetched group details as the snapshot <see cref="IMemberLifecycle.ReconcileAsync"/> takes: each
    /// member with its <c>join_time</c>, channel and attribution (from <c>state</c>), inviter, role (<c>type</c> 1 is
    /// staff) and raw <c>join_scene</c> as <c>wecom:join_scene=N</c>. Reconciling it yields the lost joins and leaves
    /// as events with deterministic ids.
    /// </summary>
    /// <param name="details">The group's <c>groupchat/get</c> details.</param>
    public IReadOnlyList<SnapshotMember> ToSnapshot(WeComGroupChat details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var snapshot = new SnapshotMember[details.Members.Count];
        for (var i = 0; i < snapshot.Length; i++)
        {
            var m = details.Members[i];
            var (channel, attribution) = Channel(m.State);
            snapshot[i] = new SnapshotMember(m.UserId, m.JoinTime, channel, m.Invitor)
            {
                Role = RoleOf(m),
                Attribution = attribution,
                Scene = "wecom:join_scene=" + m.JoinScene.ToString(CultureInfo.InvariantCulture),
            };
        }

        return snapshot;
    }

    internal (string Channel, ChannelAttribution Attribution) Channel(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return (UnknownChannel, ChannelAttribution.Unknown);
        }

        return (_stateChannels.TryGetValue(state, out var channel) ? channel : state, ChannelAttribution.Exact);
    }

    private static MemberRole RoleOf(WeComGroupMember member) => member.Type == 1 ? MemberRole.Staff : MemberRole.Member;

    private List<CommunityEvent> Joins(WeComChatChange change, WeComGroupChat? details)
    {
        Dictionary<string, WeComGroupMember>? byId = null;
        if (details is not null)
        {
            byId = new Dictionary<string, WeComGroupMember>(StringComparer.Ordinal);
            foreach (var m in details.Members)
            {
                byId[m.UserId] = m;
            }
        }

        var scene = change.JoinScene is { } s ? "wecom:JoinScene=" + s.ToString(CultureInfo.InvariantCulture) : null;
        var events = new List<CommunityEvent>(change.MemChangeList.Count);
        foreach (var member in change.MemChangeList)
        {
            WeComGroupMember? known = null;
            byId?.TryGetValue(member, out known);
            var (channel, attribution) = known is null ? (UnknownChannel, ChannelAttribution.Unknown) : Channel(known.State);
            events.Add(new CommunityEvent(
                Id(change, member),
                EventType.Joined,
                change.ChatId,
                member,
                change.CreateTime,
                channel: channel,
                role: known is null ? null : RoleOf(known),
                by: known?.Invitor,
                attribution: attribution,
                scene: scene));
        }

        return events;
    }

    private static List<CommunityEvent> Leaves(WeComChatChange change)
    {
        var type = change.QuitScene == 1 ? EventType.Removed : EventType.Left;
        var scene = change.QuitScene is { } s ? "wecom:QuitScene=" + s.ToString(CultureInfo.InvariantCulture) : null;
        var events = new List<CommunityEvent>(change.MemChangeList.Count);
        foreach (var member in change.MemChangeList)
        {
            events.Add(new CommunityEvent(Id(change, member), type, change.ChatId, member, change.CreateTime, scene: scene));
        }

        return events;
    }

    private static string Id(WeComChatChange change, string member) =>
        change.CurMemVer is { } version
            ? $"wecom:{change.ChatId}:{version}:{member}"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"wecom:{change.ChatId}:t{change.CreateTime.ToUnixTimeSeconds()}:{(change.UpdateDetail == WeComUpdateDetail.AddMember ? "add_member" : "del_member")}:{member}");
}
