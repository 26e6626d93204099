using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Simulation;

public sealed partial class CommunitySimulatorTests : IClassFixture<SimulatedCommunityFixture>
{
    private static readonly string[] Channels = ["poster", "official_account", "instore_qr", "invite_link", "moments_ad"];
    private static readonly EventType[] Qualifying =
        [EventType.Message, EventType.Checkin, EventType.TaskSubmitted, EventType.LotteryEntered, EventType.Order];

    private readonly SimulatedCommunityFixture _sim;

    public CommunitySimulatorTests(SimulatedCommunityFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public void SameOptions_GiveTheSameBytes()
    {
        using var again = new MemoryStream();
        CommunitySimulator.WriteTo(again, _sim.Options);

        Assert.Equal(_sim.Bytes, again.ToArray());
    }

    [Fact]
    public void EnumeratingTwice_GivesEqualEvents()
    {
        var options = new SimulationOptions { Members = 300, Days = 5, Seed = 9 };
        var events = CommunitySimulator.Generate(options);

        Assert.Equal(events.ToList(), events.ToList());
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentLogs()
    {
        var a = Serialize(new SimulationOptions { Members = 300, Days = 5, Seed = 1 });
        var b = Serialize(new SimulationOptions { Members = 300, Days = 5, Seed = 2 });

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Output_IsPinned_SoItNeverChangesAcrossRuntimeVersions()
    {
        // If this fails the simulator's output changed: every saved log, demo figure and benchmark moves with it.
        // Change the expected hash only on purpose, and say so in the changelog.
        var bytes = Serialize(new SimulationOptions { Members = 500, Days = 7, Seed = 42 });

        Assert.Equal(PinnedHash, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Generate_IsLazy_AndValidatesEagerly()
    {
        var huge = new SimulationOptions { Members = 2_000_000, Days = 365, Seed = 3 };

        var first = CommunitySimulator.Generate(huge).Take(50).ToList();

        Assert.Equal(50, first.Count);
        Assert.Throws<ArgumentException>(() => CommunitySimulator.Generate(huge with { Days = 0 }));
    }

    [Fact]
    public void EveryLine_IsReadBack_AndOnlyDuplicatesAreDropped()
    {
        Assert.Equal(_sim.Lines, _sim.Raw.Count);
        Assert.Equal(_sim.Lines, _sim.Statistics.Lines);
        Assert.Equal(0, _sim.Statistics.InvalidLines);
        Assert.Equal(_sim.Raw.Count - _sim.Statistics.Duplicates, _sim.Events.Count);
        Assert.Equal(_sim.Raw.DistinctBy(e => e.Id).Select(e => e.Id), _sim.Events.Select(e => e.Id));
    }

    [Fact]
    public void Duplicates_ArePresent_AboutTwoPerThousand_AndRepeatTheirOriginal()
    {
        var byId = _sim.Raw.GroupBy(e => e.Id).Where(g => g.Count() > 1).ToList();
        var duplicates = byId.Sum(g => g.Count() - 1);
        var share = (double)duplicates / _sim.Events.Count;

        Assert.Equal(_sim.Statistics.Duplicates, duplicates);
        Assert.InRange(share, 0.001, 0.004);
        Assert.All(byId, g => Assert.All(g, e => Assert.Equal(g.First(), e)));
    }

    [Fact]
    public void NoiseRates_ChangeOnlyTheNoise()
    {
        var options = new SimulationOptions { Members = 400, Days = 6, Seed = 5 };
        var noisy = CommunitySimulator.Generate(options with { DuplicateRate = 0.1, OutOfOrderRate = 0.2 }).ToList();
        var clean = CommunitySimulator.Generate(options with { DuplicateRate = 0, OutOfOrderRate = 0 }).ToList();

        Assert.Equal(clean.Count, clean.Select(e => e.Id).Distinct().Count());
        Assert.True(noisy.Count > clean.Count * 1.05);
        Assert.Equal(clean.OrderBy(e => e.Id, StringComparer.Ordinal), noisy.DistinctBy(e => e.Id).OrderBy(e => e.Id, StringComparer.Ordinal));
        Assert.All(clean.Zip(clean.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At));
    }

    [Fact]
    public void Events_ComeRoughlyInTimeOrder_WithAFewLateOnes()
    {
        var late = 0;
        var latest = DateTimeOffset.MinValue;
        foreach (var e in _sim.Raw)
        {
            if (e.At < latest)
            {
                late++;
                Assert.True(latest - e.At < TimeSpan.FromHours(4), $"{e.Id} is {latest - e.At} late");
            }
            else
            {
                latest = e.At;
            }
        }

        Assert.InRange((double)late / _sim.Raw.Count, 0.002, 0.03);
    }

    [Fact]
    public void Events_FallInsideTheSimulatedDays_WithTheZonesOffset_OrZ()
    {
        var utc = 0;
        foreach (var e in _sim.Events)
        {
            Assert.InRange(e.At, _sim.Start, _sim.End.AddTicks(-1));
            if (e.At.Offset == TimeSpan.Zero)
            {
                utc++;
            }
            else
            {
                Assert.Equal(TimeSpan.FromHours(8), e.At.Offset);
            }
        }

        Assert.InRange((double)utc / _sim.Events.Count, 0.005, 0.05);
    }

    [Fact]
    public void Ids_AreWellFormed_AndMemberIdsUnique()
    {
        Assert.All(_sim.Events, e => Assert.Matches(EventId(), e.Id));
        var members = _sim.Events.Where(e => e.Type == EventType.Joined && e.EffectiveRole == MemberRole.Member).ToList();
        Assert.All(members, e => Assert.Matches(MemberId(), e.Member));

        // Every member joins exactly one group: a member id never shows up in two groups.
        Assert.Equal(_sim.Options.Members, members.Select(e => e.Member).Distinct().Count());
        Assert.Equal(_sim.Options.Members, members.Select(e => (e.Group, e.Member)).Distinct().Count());
    }

    [Fact]
    public void AllEventTypes_AndAllChannels_AppearWithSaneVolumes()
    {
        foreach (var type in Enum.GetValues<EventType>())
        {
            Assert.Contains(_sim.Events, e => e.Type == type);
        }

        var joins = _sim.Events.Where(e => e.Type == EventType.Joined && e.EffectiveRole == MemberRole.Member).ToList();
        foreach (var channel in Channels)
        {
            Assert.InRange(joins.Count(e => e.Channel == channel), joins.Count / 30, joins.Count / 2);
        }

        Assert.InRange(joins.Count(e => e.Channel is null), joins.Count / 100, joins.Count / 8);
        Assert.InRange((double)_sim.Events.Count / _sim.Options.Members, 7, 14);
    }

    [Fact]
    public void Groups_HaveStaffAndABot_WhoJoinFirst_AndSpeakALot()
    {
        var groups = _sim.Events.Select(e => e.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["g-1", "g-2", "g-3"], groups);
        foreach (var g in groups)
        {
            var joins = _sim.Events.Where(e => e.Group == g && e.Type == EventType.Joined).OrderBy(e => e.At).ToList();
            Assert.Equal(3, joins.Take(4).Count(e => e.Role == MemberRole.Staff));
            Assert.Equal(1, joins.Take(4).Count(e => e.Role == MemberRole.Bot));
            Assert.Equal(4, joins.Count(e => e.Role is MemberRole.Staff or MemberRole.Bot));
            foreach (var insider in joins.Take(4))
            {
                var spoken = _sim.Events.Count(e => e.Member == insider.Member && e.Type == EventType.Message);
                Assert.True(spoken >= _sim.Options.Days * 3, $"{insider.Member} spoke only {spoken} times");
            }
        }
    }

    [Fact]
    public void Rejoins_Leaves_AndRemovals_AreConsistent()
    {
        var rejoined = 0;
        foreach (var member in _sim.Events.Where(e => e.Member.StartsWith("m-", StringComparison.Ordinal)).GroupBy(e => (e.Group, e.Member)))
        {
            var inGroup = false;
            foreach (var e in member.OrderBy(e => e.At).ThenBy(e => e.Type == EventType.Joined ? 0 : 1))
            {
                switch (e.Type)
                {
                    case EventType.Joined:
                        Assert.False(inGroup, $"{e.Member} joined twice without leaving");
                        rejoined += member.Count(x => x.Type == EventType.Joined) > 1 && e != member.First(x => x.Type == EventType.Joined) ? 1 : 0;
                        inGroup = true;
                        break;
                    case EventType.Left or EventType.Removed:
                        Assert.True(inGroup, $"{e.Member} left while not in the group");
                        inGroup = false;
                        break;
                    case EventType.TaskApproved or EventType.TaskRejected:
                        break; // reviews may land after the member left
                    default:
                        Assert.True(inGroup, $"{e.Member} acted ({e.Type}) while not in the group");
                        break;
                }
            }
        }

        Assert.InRange(rejoined, 10, _sim.Options.Members / 10);
        Assert.All(_sim.Events.Where(e => e.Type == EventType.Removed), e => Assert.StartsWith($"staff-{e.Group[2..]}-", e.By, StringComparison.Ordinal));
    }

    [Fact]
    public void Reviews_FollowSubmissions_ByStaffOfTheGroup_InWorkingHours()
    {
        var submitted = _sim.Events.Where(e => e.Type == EventType.TaskSubmitted).ToLookup(e => (e.Group, e.Member, e.Task));
        var reviews = _sim.Events.Where(e => e.Type is EventType.TaskApproved or EventType.TaskRejected).ToList();
        Assert.Contains(reviews, e => e.Type == EventType.TaskRejected);
        foreach (var review in reviews)
        {
            var submission = submitted[(review.Group, review.Member, review.Task)].Where(s => s.At < review.At).ToList();
            Assert.NotEmpty(submission);
            if (review.Task == "share-screenshot")
            {
                Assert.StartsWith($"staff-{review.Group[2..]}-", review.By, StringComparison.Ordinal);
                Assert.True(review.At - submission.Max(s => s.At) >= TimeSpan.FromHours(1));
                Assert.InRange(TimeZoneInfo.ConvertTime(review.At, _sim.Zone).Hour, 9, 21);
            }
        }
    }

    [Fact]
    public void Orders_AreInFen_InCny_ByAMinority_AFewDaysAfterJoining()
    {
        var orders = _sim.Events.Where(e => e.Type == EventType.Order).ToList();
        Assert.All(orders, o => Assert.Equal("CNY", o.Currency));
        Assert.All(orders, o => Assert.InRange(o.Amount!.Value, 100, 200_000));
        var buyers = orders.Select(o => o.Member).Distinct().Count();
        Assert.InRange(buyers, _sim.Options.Members / 50, _sim.Options.Members / 5);

        var joinAt = _sim.Events.Where(e => e.Type == EventType.Joined).GroupBy(e => e.Member).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        Assert.All(orders.GroupBy(o => o.Member), g => Assert.True(g.Min(o => o.At) - joinAt[g.Key] > TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Nicknames_MostlyFollowTheCityNameJobPattern()
    {
        var nicknames = _sim.Events.Where(e => e.Type == EventType.NicknameChanged).Select(e => e.Nickname!).ToList();
        var share = (double)nicknames.Count(n => NicknamePattern().IsMatch(n)) / nicknames.Count;

        Assert.InRange(share, 0.7, 0.9);
        Assert.InRange(nicknames.Count, _sim.Options.Members / 4, _sim.Options.Members * 3 / 4);
    }

    [Fact]
    public void DailyCheckins_HaveStreaks()
    {
        var longest = _sim.Events
            .Where(e => e.Type == EventType.Checkin)
            .GroupBy(e => e.Member)
            .Select(g => LongestRun(g.Select(e => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.At, _sim.Zone).DateTime)).Distinct().Order().ToList()))
            .ToList();

        Assert.All(_sim.Events.Where(e => e.Type == EventType.Checkin), e => Assert.Equal("daily-checkin", e.Task));
        Assert.True(longest.Count(n => n >= 7) >= _sim.Options.Members / 50);
    }

    [Fact]
    public void Joins_PeakInTheEvening_LocalTime()
    {
        var hours = _sim.Events
            .Where(e => e.Type == EventType.Joined && e.EffectiveRole == MemberRole.Member)
            .Select(e => TimeZoneInfo.ConvertTime(e.At, _sim.Zone).Hour)
            .ToList();

        var evening = hours.Count(h => h is >= 19 and < 22);
        var night = hours.Count(h => h is >= 1 and < 6);
        Assert.InRange((double)evening / hours.Count, 0.25, 0.45); // 3 of 24 hours hold about a third of the joins
        Assert.True(night * 5 < evening);
    }

    [Fact]
    public void ActivationShare_IsInASaneBand_AndDiffersByChannel()
    {
        // Reference: the first join of each member, activated when a qualifying event falls in [join, join + 24h).
        var firstJoin = _sim.Events.Where(e => e.Type == EventType.Joined && e.EffectiveRole == MemberRole.Member)
            .GroupBy(e => (e.Group, e.Member)).ToDictionary(g => g.Key, g => g.OrderBy(e => e.At).First());
        var qualifying = _sim.Events.Where(e => Array.IndexOf(Qualifying, e.Type) >= 0).ToLookup(e => (e.Group, e.Member));
        var eligible = firstJoin.Values.Where(j => j.At.AddHours(24) <= _sim.End).ToList();
        bool Activated(CommunityEvent j) => qualifying[(j.Group, j.Member)].Any(q => q.At >= j.At && q.At < j.At.AddHours(24));

        var rate = (double)eligible.Count(Activated) / eligible.Count;
        Assert.InRange(rate, 0.40, 0.62);

        var byChannel = eligible.GroupBy(j => j.Channel ?? "(none)").ToDictionary(g => g.Key, g => (double)g.Count(Activated) / g.Count());
        Assert.True(byChannel["instore_qr"] > byChannel["moments_ad"] + 0.15, $"instore_qr {byChannel["instore_qr"]:P0} vs moments_ad {byChannel["moments_ad"]:P0}");
        Assert.All(byChannel.Values, r => Assert.InRange(r, 0.25, 0.75));

        // Some who stay quiet for the first day speak up later.
        Assert.Contains(eligible, j => !Activated(j) && qualifying[(j.Group, j.Member)].Any(q => q.At >= j.At.AddHours(24)));
    }

    [Fact]
    public void InviteViews_ComeBeforeJoins_AtEachChannelsScanToJoinRate()
    {
        // Reference: distinct (group, visitor) per channel among invite_viewed, joins per channel among joined members.
        var views = _sim.Events.Where(e => e.Type == EventType.InviteViewed).ToList();
        Assert.All(views, v => Assert.StartsWith("v-", v.Member, StringComparison.Ordinal));
        Assert.DoesNotContain(views, v => v.Channel is null);
        var visitors = views.GroupBy(v => v.Channel!).ToDictionary(g => g.Key, g => g.Select(v => (v.Group, v.Member)).Distinct().Count());
        var joins = _sim.Events.Where(e => e.Type == EventType.Joined && e.EffectiveRole == MemberRole.Member && e.Channel is not null)
            .GroupBy(e => e.Channel!).ToDictionary(g => g.Key, g => g.Count());

        // The documented rates (docs/simulator.md), within sampling noise; joins without a channel have no views.
        var expected = new Dictionary<string, double> { ["poster"] = 0.30, ["official_account"] = 0.55, ["instore_qr"] = 0.65, ["invite_link"] = 0.45, ["moments_ad"] = 0.08 };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), visitors.Keys.Order(StringComparer.Ordinal));
        foreach (var (channel, rate) in expected)
        {
            var measured = (double)joins[channel] / visitors[channel];
            Assert.InRange(measured, rate * 0.85, rate * 1.15);
        }

        // Some visitors come back: more views than distinct visitors.
        Assert.True(views.Count > visitors.Values.Sum());
    }

    [Fact]
    public void InviteLinkJoins_NameAnInviterInTheGroup()
    {
        var invites = _sim.Events.Where(e => e.Type == EventType.Joined && e.Channel == "invite_link").ToList();
        var members = _sim.Events.Where(e => e.Type == EventType.Joined).Select(e => (e.Group, e.Member)).ToHashSet();

        Assert.All(invites, e => Assert.Contains((e.Group, e.By!), members));
        Assert.Contains(invites, e => e.By!.StartsWith("m-", StringComparison.Ordinal));
        Assert.All(_sim.Events.Where(e => e.Type == EventType.Joined && e.Channel != "invite_link" && e.Channel is not null), e => Assert.Null(e.By));
    }

    [Fact]
    public void GroupCount_IsAboutOnePer22kMembers_AtLeastThree()
    {
        Assert.Equal(3, CommunitySimulator.GroupCount(1));
        Assert.Equal(3, CommunitySimulator.GroupCount(66_000));
        Assert.Equal(4, CommunitySimulator.GroupCount(66_001));
        Assert.Equal(46, CommunitySimulator.GroupCount(1_000_000));
    }

    private const string PinnedHash = "6f847896bb92e0d1740a8bcaf327dc68ab03b0503bdd8b42ba5c497a0d31161f";

    private static byte[] Serialize(SimulationOptions options)
    {
        using var stream = new MemoryStream();
        CommunitySimulator.WriteTo(stream, options);
        return stream.ToArray();
    }

    private static int LongestRun(List<DateOnly> days)
    {
        var best = 0;
        var run = 0;
        for (var i = 0; i < days.Count; i++)
        {
            run = i > 0 && days[i].DayNumber == days[i - 1].DayNumber + 1 ? run + 1 : 1;
            best = Math.Max(best, run);
        }

        return best;
    }

    [GeneratedRegex(@"^e-[0-9a-f]{16}$")]
    private static partial Regex EventId();

    [GeneratedRegex(@"^m-\d{7}$")]
    private static partial Regex MemberId();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{2}-\p{IsCJKUnifiedIdeographs}{2,3}-\p{IsCJKUnifiedIdeographs}{2,4}$")]
    private static partial Regex NicknamePattern();
}
