using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public async Task MemberFacts_FollowMembershipEvents_InAnyArrivalOrder_AsTheInMemoryReference()
    {
        using var reference = Reference();
        var expected = reference.GetRequiredService<IMemberDirectory>();
        var directory = Host.GetRequiredService<IMemberDirectory>();
        var random = new Random(21);
        EventType[] types = [EventType.Joined, EventType.Joined, EventType.Left, EventType.Removed, EventType.Message];
        string?[] channels = [null, "poster", "invite_link"];
        MemberRole?[] roles = [null, MemberRole.Member, MemberRole.Staff, MemberRole.Bot];
        for (var i = 0; i < 200; i++)
        {
            var type = types[random.Next(types.Length)];
            var e = new CommunityEvent(
                $"e{i}",
                type,
                "g1",
                $"m{random.Next(12)}",
                T0.AddMinutes(random.Next(-600, 600)).ToOffset(TimeSpan.FromHours(random.Next(0, 2) * 8)),
                channel: type == EventType.Joined ? channels[random.Next(channels.Length)] : null,
                role: type == EventType.Joined ? roles[random.Next(roles.Length)] : null);
            await expected.ObserveAsync(e, CancellationToken.None);
            await directory.ObserveAsync(e, CancellationToken.None);
        }

        var other = OtherHost().GetRequiredService<IMemberDirectory>();
        for (var m = 0; m < 13; m++)
        {
            var want = await expected.FindAsync($"m{m}", CancellationToken.None);
            Assert.Equal(want, await other.FindAsync($"m{m}", CancellationToken.None));
            Assert.Equal(want?.FirstJoinedAt?.Offset, (await other.FindAsync($"m{m}", CancellationToken.None))?.FirstJoinedAt?.Offset);
        }

        Assert.Null(await other.FindAsync("m12", CancellationToken.None));
    }
}
