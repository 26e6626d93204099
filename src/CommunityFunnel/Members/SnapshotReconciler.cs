using System.Globalization;
using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>Turns the difference between a platform member list and the known records into joined/left events.</summary>
internal static class SnapshotReconciler
{
    public static List<CommunityEvent> Diff(
        string group,
        IReadOnlyList<SnapshotMember> snapshot,
        DateTimeOffset at,
        IReadOnlyList<MemberRecord> known)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(known);
        var byMember = new Dictionary<string, MemberRecord>(StringComparer.Ordinal);
        foreach (var record in known)
        {
            byMember[record.Member] = record;
        }

        var inSnapshot = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<CommunityEvent>();
        for (var i = 0; i < snapshot.Count; i++)
        {
            var s = snapshot[i] ?? throw new ArgumentException($"snapshot[{i}] is null.", nameof(snapshot));
            if (string.IsNullOrEmpty(s.Member))
            {
                throw new ArgumentException($"snapshot[{i}].Member must not be empty.", nameof(snapshot));
            }

            if (!inSnapshot.Add(s.Member))
            {
                throw new ArgumentException($"snapshot[{i}].Member '{s.Member}' appears more than once.", nameof(snapshot));
            }

            if (s.JoinedAt > at)
            {
                throw new ArgumentException($"snapshot[{i}].JoinedAt {s.JoinedAt:O} is after the snapshot time {at:O}.", nameof(snapshot));
            }

            var present = byMember.TryGetValue(s.Member, out var r)
                && r.State is MemberState.Onboarding or MemberState.Active or MemberState.AtRisk;
            if (present)
            {
                continue;
            }

            // Reported with its join time; if that is not after what is known (the member left since), at the snapshot time.
            var when = r is null || s.JoinedAt > r.Watermark ? s.JoinedAt : at;
            events.Add(new CommunityEvent(
                $"snapshot-joined:{group}:{s.Member}:{Stamp(s.JoinedAt)}",
                EventType.Joined,
                group,
                s.Member,
                when,
                channel: s.JoinScene,
                role: s.Role,
                by: s.Inviter,
                attribution: s.Attribution,
                scene: s.Scene));
        }

        foreach (var record in known)
        {
            if (record.State is MemberState.Onboarding or MemberState.Active or MemberState.AtRisk && !inSnapshot.Contains(record.Member))
            {
                var joined = record.LastJoinedAt ?? record.FirstSeenAt;
                events.Add(new CommunityEvent(
                    $"snapshot-left:{group}:{record.Member}:{Stamp(joined)}",
                    EventType.Left,
                    group,
                    record.Member,
                    at > record.Watermark ? at : record.Watermark));
            }
        }

        return events;
    }

    private static string Stamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);
}
