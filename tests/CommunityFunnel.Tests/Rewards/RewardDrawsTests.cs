using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using static CommunityFunnel.Tests.Rewards.RewardScenario;

namespace CommunityFunnel.Tests.Rewards;

public sealed class RewardDrawsTests
{
    [Fact]
    public void FormPlusLottery_EndToEnd_ApprovedAndSubmittedTasksBecomeWeightedEntries()
    {
        var s = new RewardScenario();
        foreach (var m in new[] { "b", "a", "c" })
        {
            s.Join(m, Local(1, 9));
        }

        s.Checkin("a", Local(2, 10));
        s.Checkin("a", Local(3, 10));
        s.Checkin("b", Local(3, 10));
        s.Add(EventType.TaskSubmitted, "c", Local(4, 10), task: "suggestion-form");
        s.Add(EventType.TaskSubmitted, "c", Local(5, 10), task: "suggestion-form"); // capped: one a week
        s.Checkin("c", Local(9, 10));                                           // next week's draw

        var result = s.Replay(RewardPresets.SeedArticle());

        Assert.Equal([new DrawEntry("a", 2), new DrawEntry("b", 1), new DrawEntry("c", 1)], result.EntriesFor("weekly-2026-11-02"));
        Assert.Equal([new DrawEntry("c", 1)], result.EntriesFor("weekly-2026-11-09"));
        Assert.Equal(["weekly-2026-11-02", "weekly-2026-11-09"], result.Draws.Select(d => d.DrawId));
        Assert.Equal(4, result.Draws[0].Tickets);
        Assert.Empty(result.EntriesFor("no-such-draw"));
    }

    [Fact]
    public void Entries_AreNetOfReversals_AndSortedByUtf8Bytes()
    {
        static RewardLedgerEntry Tickets(string member, long n, RewardEntryKind kind = RewardEntryKind.Grant) => new()
        {
            Key = member + kind,
            Kind = kind,
            RuleId = "r",
            Member = member,
            EventId = "e",
            Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = n, Draw = "d" }, new RewardSpec { Kind = RewardKind.Points, Quantity = 9 }],
            Counters = [],
        };

        var ledger = new[]
        {
            Tickets("\U0001F600", 1), Tickets("\uFF01", 2), Tickets("Z", 3), Tickets("a", 4), Tickets("gone", 1), Tickets("gone", 1, RewardEntryKind.Reversal),
        };

        var entries = RewardDraws.EntriesFor(ledger, "d");

        // UTF-16 ordinal order would put U+1F600 (a surrogate pair, 0xD83D...) before U+FF01; UTF-8 byte order does not.
        Assert.Equal(["Z", "a", "\uFF01", "\U0001F600"], entries.Select(e => e.Id));
        Assert.Equal([3L, 4, 2, 1], entries.Select(e => e.Weight));
    }
}
