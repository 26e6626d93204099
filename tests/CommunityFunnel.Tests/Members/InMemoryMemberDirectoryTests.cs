using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Members;

/// <summary>The default member directory against a plain dictionary of the documented rules, on random membership events.</summary>
public sealed class InMemoryMemberDirectoryTests
{
    [Fact]
    public void Facts_EqualAPlainDictionary_OnRandomEvents()
    {
        var random = new Random(7);
        var directory = new InMemoryMemberDirectory();
        var expected = new Dictionary<string, MemberFacts>(StringComparer.Ordinal);
        var members = Enumerable.Range(0, 300).Select(i => i % 7 == 0 ? $"m|{i}" : $"m{i}").ToArray();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < 5_000; i++)
        {
            var member = members[random.Next(members.Length)];
            var at = start.AddMinutes(random.Next(60 * 24 * 30));
            var type = random.Next(5) switch { 0 or 1 => EventType.Joined, 2 => EventType.Left, 3 => EventType.Removed, _ => EventType.Message };
            var e = new CommunityEvent($"e{i}", type, "g", member, at, channel: random.Next(2) == 0 ? "poster" : null, role: random.Next(6) switch { 0 => MemberRole.Staff, 1 => MemberRole.Bot, 2 => MemberRole.Member, _ => null });
            directory.Observe(e);
            switch (type)
            {
                case EventType.Joined:
                    expected[member] = expected.TryGetValue(member, out var known) && known.FirstJoinedAt is { } first && first <= at
                        ? known with { State = MembershipState.InGroup, Role = e.EffectiveRole }
                        : new MemberFacts(MembershipState.InGroup, at, e.Channel, e.EffectiveRole);
                    break;
                case EventType.Left or EventType.Removed:
                    var state = type == EventType.Left ? MembershipState.Left : MembershipState.Removed;
                    expected[member] = expected.TryGetValue(member, out var k) ? k with { State = state } : new MemberFacts(state, null, null, MemberRole.Member);
                    break;
            }

            var probe = members[random.Next(members.Length)];
            Assert.Equal(expected.GetValueOrDefault(probe), directory.Find(probe));
            Assert.Equal(expected.GetValueOrDefault(probe) is { Role: not MemberRole.Member }, directory.IsStaffOrBot(probe));
        }

        Assert.All(members, m => Assert.Equal(expected.GetValueOrDefault(m), directory.Find(m)));
        Assert.All(members, m => Assert.Equal(expected.GetValueOrDefault(m) is { Role: not MemberRole.Member }, directory.IsStaffOrBot(m)));
        Assert.Contains(members, directory.IsStaffOrBot);
        Assert.False(directory.IsStaffOrBot("never-seen"));
        Assert.Null(directory.Find("never-seen"));
    }
}
