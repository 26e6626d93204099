using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IRewardMemberDirectory"/> on SQL: the member facts reward eligibility reads (state, first join,
/// channel, role), kept across restarts and shared by host instances. Same rules as the in-memory directory: the
/// latest join, leave or removal decides the state; the first join is kept unless an earlier one arrives late.
/// </summary>
internal sealed class SqlRewardMemberDirectory(SqlDatabase database) : IRewardMemberDirectory
{
    public void Observe(CommunityEvent communityEvent)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        if (communityEvent.Type is not (EventType.Joined or EventType.Left or EventType.Removed))
        {
            return;
        }

        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        RewardMemberFacts? known;
        using (var command = Sql.Command(connection, tx, $"SELECT state, first_joined_ticks, first_joined_offset, channel, role FROM cf_reward_members WHERE member_id = @m{database.ForUpdate}", ("m", communityEvent.Member)))
        using (var reader = command.ExecuteReader())
        {
            known = reader.Read() ? Read(reader) : null;
        }

        var e = communityEvent;
        var next = e.Type switch
        {
            EventType.Joined => known is { FirstJoinedAt: { } first } && first <= e.At
                ? known with { State = RewardMemberState.InGroup, Role = e.EffectiveRole }
                : new RewardMemberFacts(RewardMemberState.InGroup, e.At, e.Channel, e.EffectiveRole),
            EventType.Left => known is null ? new RewardMemberFacts(RewardMemberState.Left, null, null, MemberRole.Member) : known with { State = RewardMemberState.Left },
            _ => known is null ? new RewardMemberFacts(RewardMemberState.Removed, null, null, MemberRole.Member) : known with { State = RewardMemberState.Removed },
        };
        Sql.Execute(
            connection,
            tx,
            "INSERT INTO cf_reward_members (member_id, state, first_joined_ticks, first_joined_offset, channel, role) VALUES (@m, @s, @j, @o, @c, @r) " +
            "ON CONFLICT (member_id) DO UPDATE SET state = excluded.state, first_joined_ticks = excluded.first_joined_ticks, " +
            "first_joined_offset = excluded.first_joined_offset, channel = excluded.channel, role = excluded.role",
            ("m", e.Member),
            ("s", (long)next.State),
            ("j", Sql.Ticks(next.FirstJoinedAt)),
            ("o", next.FirstJoinedAt is { } at ? (long)at.Offset.TotalMinutes : null),
            ("c", next.Channel),
            ("r", (long)next.Role));
        tx.Commit();
    }

    public RewardMemberFacts? Find(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        using var connection = database.Open();
        using var command = Sql.Command(connection, null, "SELECT state, first_joined_ticks, first_joined_offset, channel, role FROM cf_reward_members WHERE member_id = @m", ("m", member));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static RewardMemberFacts Read(System.Data.Common.DbDataReader r) => new(
        (RewardMemberState)Sql.GetLong(r, 0),
        Sql.GetNullableLong(r, 1) is { } ticks ? Sql.Instant(ticks).ToOffset(TimeSpan.FromMinutes(Sql.GetNullableLong(r, 2) ?? 0)) : null,
        Sql.GetNullableString(r, 3),
        (MemberRole)Sql.GetLong(r, 4));
}
