using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IMemberDirectory"/> on SQL: the member facts reward eligibility reads (state, first join,
/// channel, role), kept across restarts and shared by host instances. Same rules as the in-memory directory: the
/// latest join, leave or removal decides the state; the first join is kept unless an earlier one arrives late.
/// </summary>
internal sealed class SqlMemberDirectory(SqlDatabase database) : IMemberDirectory
{
    public async Task ObserveAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        if (!MemberFacts.Changes(communityEvent.Type))
        {
            return;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var found = await Sql.QueryAsync(
                connection,
                tx,
                $"SELECT state, first_joined_ticks, first_joined_offset, channel, role FROM cf_reward_members WHERE member_id = @m{database.ForUpdate}",
                Read,
                cancellationToken,
                ("m", communityEvent.Member)).ConfigureAwait(false);
            var known = found.Count == 0 ? null : found[0];
            var e = communityEvent;
            var next = MemberFacts.Next(known, e)!;
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_reward_members (member_id, state, first_joined_ticks, first_joined_offset, channel, role) VALUES (@m, @s, @j, @o, @c, @r) " +
                "ON CONFLICT (member_id) DO UPDATE SET state = excluded.state, first_joined_ticks = excluded.first_joined_ticks, " +
                "first_joined_offset = excluded.first_joined_offset, channel = excluded.channel, role = excluded.role",
                cancellationToken,
                ("m", e.Member),
                ("s", (long)next.State),
                ("j", Sql.Ticks(next.FirstJoinedAt)),
                ("o", next.FirstJoinedAt is { } at ? (long)at.Offset.TotalMinutes : null),
                ("c", next.Channel),
                ("r", (long)next.Role)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<MemberFacts?> FindAsync(string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var found = await Sql.QueryAsync(
                connection, null, "SELECT state, first_joined_ticks, first_joined_offset, channel, role FROM cf_reward_members WHERE member_id = @m", Read, cancellationToken, ("m", member)).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0];
        }
    }

    private static MemberFacts Read(System.Data.Common.DbDataReader r) => new(
        (MembershipState)Sql.GetLong(r, 0),
        Sql.GetNullableLong(r, 1) is { } ticks ? Sql.Instant(ticks).ToOffset(TimeSpan.FromMinutes(Sql.GetNullableLong(r, 2) ?? 0)) : null,
        Sql.GetNullableString(r, 3),
        (MemberRole)Sql.GetLong(r, 4));
}
