using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Simulation;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Members;

/// <summary>The simulated community (duplicates and late callbacks included) through both lifecycle front ends.</summary>
public sealed class LifecycleSimulationTests
{
    private sealed class Collect : IMemberActionHandler
    {
        public List<MemberAction> Actions { get; } = [];

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            Actions.Add(action);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task StoreBackedService_AndInMemoryEngine_DecideTheSameActionsAndStates_OnASimulatedCommunity()
    {
        var options = new SimulationOptions { Members = 400, Days = 12, Seed = 77 };
        var raw = CommunitySimulator.Generate(options).ToList(); // platform order, duplicates and late events included
        var policy = LifecycleTestKit.SeedPolicy();
        policy.RequiredTasks.Clear();
        policy.RequiredTasks.Add(new LifecycleTask { Id = "share-screenshot", Within = TimeSpan.FromHours(48) });

        var kit = new LifecycleTestKit(policy);
        var handler = new Collect();
        using var provider = LifecycleTestKit.Services(policy, handler);
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();

        var duplicates = 0;
        foreach (var e in raw)
        {
            kit.AdvanceTo(e.At);
            await lifecycle.AdvanceToAsync(e.At);
            kit.Engine.Apply(e);
            duplicates += (await lifecycle.ApplyAsync(e)).Duplicate ? 1 : 0;
        }

        var end = raw.Max(e => e.At).AddDays(5);
        kit.AdvanceTo(end);
        await lifecycle.AdvanceToAsync(end);

        Assert.Equal(kit.Engine.Duplicates, duplicates);
        Assert.True(duplicates > 0, "the simulator retries some callbacks");
        static string Describe(MemberAction a) => $"{a.At.UtcTicks} {a.Group} {a.Member} {a.Kind} {a.Reason} {a.Task} {a.Deadline?.UtcTicks}";
        Assert.Equal(kit.Actions.Select(Describe).Order(StringComparer.Ordinal), handler.Actions.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Contains(kit.Actions, a => a.Kind == MemberActionKind.Removal);
        Assert.Contains(kit.Actions, a => a.Kind == MemberActionKind.Congratulation);

        var store = provider.GetRequiredService<IMemberStore>();
        for (var slot = 0; slot < kit.Engine.Count; slot++)
        {
            var fast = kit.Engine.Record(slot);
            var stored = (await store.FindAsync(fast.Group, fast.Member, CancellationToken.None))!;
            Assert.Equal((fast.State, fast.JoinedAt, fast.FirstActivityAt, fast.LastActivityAt, fast.ActivatedWithinWindow, fast.ConvertedAt, fast.JoinedBeforeTracking, fast.NextDeadline),
                (stored.State, stored.JoinedAt, stored.FirstActivityAt, stored.LastActivityAt, stored.ActivatedWithinWindow, stored.ConvertedAt, stored.JoinedBeforeTracking, stored.NextDeadline));
            Assert.Equal(fast.Tasks, stored.Tasks);
            Assert.Equal(kit.Transitions.Count(t => t.Group == fast.Group && t.Member == fast.Member), (await store.GetAuditTrailAsync(fast.Group, fast.Member, CancellationToken.None)).Count);
        }
    }
}
