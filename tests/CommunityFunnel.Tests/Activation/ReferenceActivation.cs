using System.Globalization;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

/// <summary>The spec's rules, written as plainly as possible (quadratic, no interning): the oracle for property tests.</summary>
internal static class ReferenceActivation
{
    public static ActivationReport Calculate(IEnumerable<CommunityEvent> input, ActivationQuery q)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<CommunityEvent>();
        long duplicates = 0;
        foreach (var e in input)
        {
            if (!seen.Add(e.Id))
            {
                duplicates++;
                continue;
            }

            events.Add(e);
        }

        // Rule 1.
        var known = events.Where(e => e.At < q.AsOf).ToList();

        // Rule 2.
        var joinedEvents = known.Where(e => e.Type == EventType.Joined).ToList();
        var joins = q.Rejoin == RejoinPolicy.Every
            ? joinedEvents
            : joinedEvents.GroupBy(e => (e.Group, e.Member))
                .Select(g => g.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).First())
                .ToList();

        // Rule 3.
        if (q.From is { } from)
        {
            joins = joins.Where(j => j.At >= from).ToList();
        }

        if (q.To is { } to)
        {
            joins = joins.Where(j => j.At < to).ToList();
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(q.TimeZoneId);
        var rows = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        long eligible = 0, activated = 0, pending = 0, excluded = 0;
        foreach (var j in joins)
        {
            int slot;
            if (j.EffectiveRole is MemberRole.Staff or MemberRole.Bot)
            {
                excluded++;
                slot = 3;
            }
            else if (j.At + q.Window > q.AsOf)
            {
                pending++;
                slot = 2;
            }
            else
            {
                eligible++;
                var hit = known.Any(e => q.QualifyingTypes.Contains(e.Type) && e.Group == j.Group && e.Member == j.Member
                                         && e.At >= j.At && e.At < j.At + q.Window);
                if (hit)
                {
                    activated++;
                }

                slot = hit ? 1 : 0;
            }

            var key = q.BreakdownBy switch
            {
                ActivationBreakdownBy.Channel => j.Channel ?? "(none)",
                ActivationBreakdownBy.Group => j.Group,
                ActivationBreakdownBy.Day => TimeZoneInfo.ConvertTime(j.At, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (key is not null)
            {
                if (!rows.TryGetValue(key, out var c))
                {
                    rows[key] = c = new long[7];
                }

                c[slot]++;
                var attribution = j.Attribution ?? (j.Channel is null ? ChannelAttribution.Unknown : ChannelAttribution.Exact);
                c[4 + (int)attribution]++;
            }
        }

        var breakdown = rows.Select(r => new ActivationBreakdownRow(
            r.Key,
            r.Value[0] + r.Value[1],
            r.Value[1],
            r.Value[2],
            r.Value[3],
            r.Value[0] + r.Value[1] == 0 ? null : (double)r.Value[1] / (r.Value[0] + r.Value[1]),
            ConfidenceInterval.Wilson95(r.Value[1], r.Value[0] + r.Value[1]),
            new JoinAttributionCounts(r.Value[4], r.Value[5], r.Value[6]))).ToList();
        return new ActivationReport(
            q.AsOf, q.Window, eligible, activated, pending, excluded, duplicates,
            eligible == 0 ? null : (double)activated / eligible,
            ConfidenceInterval.Wilson95(activated, eligible),
            breakdown);
    }
}
