using CommunityFunnel.Lottery;

namespace CommunityFunnel.Rewards;

/// <summary>Turns ledger entries into the entries of a named draw, for the fair-draw engine.</summary>
public static class RewardDraws
{
    /// <summary>
    /// The entries of <paramref name="drawId"/>, as the fair-draw engine takes them (<see cref="DrawEntry"/>, so
    /// "tickets to draw" needs no conversion): each member's net tickets for it (grants minus reversals), members
    /// with none left out, sorted by id in the fair-draw canonical order (UTF-8 bytes, which is code-point order;
    /// for ASCII ids the same as ordinal).
    /// </summary>
    public static IReadOnlyList<DrawEntry> EntriesFor(IEnumerable<RewardLedgerEntry> ledger, string drawId)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentException.ThrowIfNullOrEmpty(drawId);
        var tickets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in ledger)
        {
            var sign = entry.Kind == RewardEntryKind.Grant ? 1 : -1;
            foreach (var reward in entry.Rewards)
            {
                if (reward.Kind == RewardKind.Tickets && string.Equals(reward.Draw, drawId, StringComparison.Ordinal))
                {
                    tickets.TryGetValue(entry.Member, out var n);
                    tickets[entry.Member] = checked(n + (sign * reward.Quantity));
                }
            }
        }

        var entries = tickets.Where(p => p.Value > 0).Select(p => new DrawEntry(p.Key, p.Value)).ToList();
        entries.Sort((a, b) => CompareUtf8(a.Id, b.Id));
        return entries;
    }

    /// <summary>The draw ids that tickets were granted for, sorted ordinally.</summary>
    public static IReadOnlyList<string> DrawIds(IEnumerable<RewardLedgerEntry> ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return ledger.SelectMany(e => e.Rewards).Where(r => r.Kind == RewardKind.Tickets && r.Draw is not null)
            .Select(r => r.Draw!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Compares two strings by their UTF-8 bytes (code-point order).</summary>
    internal static int CompareUtf8(string a, string b)
    {
        var ra = a.EnumerateRunes();
        var rb = b.EnumerateRunes();
        while (true)
        {
            var hasA = ra.MoveNext();
            var hasB = rb.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA ? 1 : hasB ? -1 : 0;
            }

            var c = ra.Current.Value.CompareTo(rb.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
