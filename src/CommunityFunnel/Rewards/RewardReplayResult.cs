using CommunityFunnel.Events;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Rewards;

/// <summary>What a replay produced: the ledger and its summaries per rule, budget, member and draw.</summary>
public sealed class RewardReplayResult
{
    /// <summary>The result of a replay into <paramref name="ledger"/>, read through its async contract.</summary>
    internal static async Task<RewardReplayResult> ReadAsync(RewardRuleSet rules, IRewardLedger ledger, RewardStatistics statistics, long duplicates, EventOrderStatistics ordering, CancellationToken cancellationToken)
    {
        var entries = await ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false);
        var budgets = new long[rules.Budgets.Count];
        for (var i = 0; i < budgets.Length; i++)
        {
            budgets[i] = await ledger.GetCounterAsync("budget|" + rules.Budgets[i].Id, cancellationToken).ConfigureAwait(false);
        }

        return new RewardReplayResult(rules, entries, budgets, statistics, duplicates, ordering);
    }

    /// <summary>The result of a replay into the in-memory <paramref name="ledger"/>, read at once.</summary>
    internal RewardReplayResult(RewardRuleSet rules, InMemoryRewardLedger ledger, RewardStatistics statistics, long duplicates, EventOrderStatistics ordering)
        : this(rules, ledger.Snapshot(), [.. rules.Budgets.Select(b => ledger.GetCounter("budget|" + b.Id))], statistics, duplicates, ordering)
    {
    }

    private RewardReplayResult(RewardRuleSet rules, IReadOnlyList<RewardLedgerEntry> entries, long[] budgetsUsed, RewardStatistics statistics, long duplicates, EventOrderStatistics ordering)
    {
        Ordering = ordering;
        Ledger = entries;
        Statistics = statistics;
        Duplicates = duplicates;
        var byRule = rules.Rules.ToDictionary(r => r.Id, r => new Totals(), StringComparer.Ordinal);
        var byMember = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var order = rules.Rules.Select(r => r.Id).ToList();
        foreach (var entry in Ledger)
        {
            if (!byRule.TryGetValue(entry.RuleId, out var rule))
            {
                // A ledger shared with other rule sets: report its other rules after these.
                byRule[entry.RuleId] = rule = new Totals();
                order.Add(entry.RuleId);
            }

            rule.Add(entry);
            if (!byMember.TryGetValue(entry.Member, out var m))
            {
                byMember[entry.Member] = m = new Totals();
            }

            m.Add(entry);
        }

        Rules = order.Select(id => byRule[id].ToRule(id)).ToList();
        Members = byMember.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToMember(p.Key)).ToList();
        Budgets = rules.Budgets.Select((b, i) => new RewardBudgetUse(b.Id, b.Limit, budgetsUsed[i], b.Currency)).ToList();
        Draws = RewardDraws.DrawIds(Ledger)
            .Select(d =>
            {
                var entries = RewardDraws.EntriesFor(Ledger, d);
                return new RewardDrawTotal(d, entries.Count, entries.Sum(e => e.Weight));
            })
            .ToList();
    }

    /// <summary>Every ledger entry, in the order appended (event-time order for a replay).</summary>
    public IReadOnlyList<RewardLedgerEntry> Ledger { get; }

    /// <summary>What the engine did.</summary>
    public RewardStatistics Statistics { get; }

    /// <summary>What putting the replayed events into time order took: events buffered, late events, runs spilled to temporary files.</summary>
    public EventOrderStatistics Ordering { get; }

    /// <summary>Events skipped because their id had been seen.</summary>
    public long Duplicates { get; }

    /// <summary>Per rule, in rule order: grants, reversals and net rewards by kind.</summary>
    public IReadOnlyList<RewardRuleTotal> Rules { get; }

    /// <summary>Per budget: limit and use.</summary>
    public IReadOnlyList<RewardBudgetUse> Budgets { get; }

    /// <summary>Per rewarded member (ordinal order): net rewards.</summary>
    public IReadOnlyList<RewardMemberTotal> Members { get; }

    /// <summary>Per draw (ordinal order): members with tickets and total tickets.</summary>
    public IReadOnlyList<RewardDrawTotal> Draws { get; }

    /// <summary>The entries of a draw in the fair-draw input shape (see <see cref="RewardDraws.EntriesFor"/>).</summary>
    public IReadOnlyList<DrawEntry> EntriesFor(string drawId) => RewardDraws.EntriesFor(Ledger, drawId);

    private sealed class Totals
    {
        private long _grants;
        private long _reversals;
        private long _points;
        private long _tickets;
        private long _coupons;

        public void Add(RewardLedgerEntry entry)
        {
            var sign = entry.Kind == RewardEntryKind.Grant ? 1 : -1;
            if (sign > 0)
            {
                _grants++;
            }
            else
            {
                _reversals++;
            }

            foreach (var r in entry.Rewards)
            {
                var n = checked(sign * r.Quantity);
                switch (r.Kind)
                {
                    case RewardKind.Points: _points = checked(_points + n); break;
                    case RewardKind.Tickets: _tickets = checked(_tickets + n); break;
                    default: _coupons = checked(_coupons + n); break;
                }
            }
        }

        public RewardRuleTotal ToRule(string id) => new(id, _grants, _reversals, _points, _tickets, _coupons);

        public RewardMemberTotal ToMember(string id) => new(id, checked(_grants - _reversals), _points, _tickets, _coupons);
    }
}
