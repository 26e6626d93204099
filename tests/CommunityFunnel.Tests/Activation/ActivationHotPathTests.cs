using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

/// <summary>Edge cases of the engine's shortcuts: the last-pair cache (same member string instance) and the batch path.</summary>
public sealed class ActivationHotPathTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void SameMemberInstance_InAnotherGroup_IsAnotherPair()
    {
        var member = new string('a', 3);
        var events = new[]
        {
            new CommunityEvent("j1", EventType.Joined, "g1", member, T),
            new CommunityEvent("j2", EventType.Joined, "g2", member, T),
            new CommunityEvent("m2", EventType.Message, "g2", member, T.AddHours(1)),
        };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(3)));
        var streaming = new StreamingActivationCalculator();
        foreach (var e in events)
        {
            streaming.Add(e);
        }

        Assert.Equal((2L, 1L), (report.Eligible, report.Activated));
        Assert.Equal((2L, 1L), (streaming.GetReport(T.AddDays(3)).Eligible, streaming.GetReport(T.AddDays(3)).Activated));
    }

    [Fact]
    public void EqualMemberText_InDistinctInstances_IsThePair_InterleavedWithOthers()
    {
        var events = new[]
        {
            new CommunityEvent("j1", EventType.Joined, "g1", new string('a', 3), T),
            new CommunityEvent("j2", EventType.Joined, "g1", new string('b', 3), T),
            new CommunityEvent("m1", EventType.Message, "g1", new string('a', 3), T.AddHours(2)),
            new CommunityEvent("m2", EventType.Message, "g1", new string('c', 3), T.AddHours(2)),
            new CommunityEvent("m3", EventType.Message, new string("g1".ToCharArray()), new string('b', 3), T.AddHours(30)),
        };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(3)));

        Assert.Equal((2L, 1L), (report.Eligible, report.Activated));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    public void Batch_CountsDuplicates_AcrossAndWithinChunks_LikeStreaming(int members)
    {
        var events = new List<CommunityEvent>();
        for (var i = 0; i < members; i++)
        {
            var who = "m" + i;
            var join = new CommunityEvent("j" + i, EventType.Joined, "g" + (i % 3), who, T.AddMinutes(i));
            events.Add(join);
            events.Add(join); // duplicate right after (same chunk)
            events.Add(new CommunityEvent("x" + i, EventType.Message, "g" + (i % 3), who, T.AddMinutes(i).AddHours(i % 2 == 0 ? 1 : 30)));
            events.Add(new CommunityEvent("late" + i, EventType.Message, "g" + (i % 3), who, T.AddDays(10)));
        }

        events.Add(events[0]); // duplicate far from the original (another chunk for most sizes)
        events.Add(new CommunityEvent("late0", EventType.Joined, "g9", "late", T)); // id seen on an event after asOf

        var query = new ActivationQuery(T.AddDays(5));
        var report = ActivationCalculator.Calculate(events, query);
        var streaming = new StreamingActivationCalculator();
        foreach (var e in events)
        {
            streaming.Add(e);
        }

        var expected = streaming.GetReport(query);
        foreach (var other in new IEnumerable<CommunityEvent>[] { events.ToArray(), events.Select(e => e), events.Where(_ => true).Take(int.MaxValue) })
        {
            var same = ActivationCalculator.Calculate(other, query);
            Assert.Equal((report.Duplicates, report.Eligible, report.Activated, report.Pending), (same.Duplicates, same.Eligible, same.Activated, same.Pending));
        }

        Assert.Equal(members + 2, report.Duplicates);
        Assert.Equal(expected.Duplicates, report.Duplicates);
        Assert.Equal((expected.Eligible, expected.Activated), (report.Eligible, report.Activated));
        Assert.Equal((members, (members + 1) / 2), (report.Eligible, report.Activated));
    }
}
