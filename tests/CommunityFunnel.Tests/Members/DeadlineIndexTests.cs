using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Members;

/// <summary>
/// The lifecycle on a store's due-time index fires what the in-memory deadline queue fires, in time order (deadlines at
/// the same instant: the index by group and member id, the queue by when it first saw the member).
/// </summary>
public sealed class DeadlineIndexTests
{
    private static readonly DateTimeOffset T0 = LifecycleTestKit.T0;

    private sealed class Recorder : IMemberActionHandler
    {
        public List<MemberAction> Actions { get; } = [];

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            Actions.Add(action);
            return Task.CompletedTask;
        }
    }

    /// <summary>The in-memory store seen through a wrapper that hides its due-time index: the lifecycle falls back to its own queue.</summary>
    private sealed class WithoutIndex(IMemberStore inner) : IMemberStore
    {
        public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken) => inner.FindAsync(group, member, cancellationToken);

        public Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken) => inner.ListGroupAsync(group, cancellationToken);

        public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken) =>
            inner.SaveAsync(record, expectedVersion, transitions, cancellationToken);

        public Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken) =>
            inner.GetAuditTrailAsync(group, member, cancellationToken);
    }

    private static (ServiceProvider Provider, IMemberLifecycle Lifecycle, Recorder Actions) Lifecycle(bool index)
    {
        var recorder = new Recorder();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        var builder = services.AddCommunityFunnel().UseInMemoryStores()
            .ConfigureLifecycle(o => o.DefaultPolicy = LifecycleTestKit.SeedPolicy())
            .AddMemberActionHandler(recorder);
        if (!index)
        {
            using var holder = new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services.BuildServiceProvider();
            builder.UseMemberStore(new WithoutIndex(holder.GetRequiredService<IMemberStore>()));
        }

        var provider = services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        Assert.Equal(index, provider.GetRequiredService<IMemberStore>() is IMemberDeadlineIndex);
        return (provider, lifecycle, recorder);
    }

    [Fact]
    public async Task Property_TheIndexFiresWhatTheInMemoryQueueFires_InTheSameOrder()
    {
        EventType[] types = [EventType.Message, EventType.NicknameChanged, EventType.TaskApproved, EventType.Left, EventType.Order];
        for (var seed = 1; seed <= 40; seed++)
        {
            var random = new Random(seed);
            var (withProvider, withIndex, withActions) = Lifecycle(index: true);
            var (queueProvider, withQueue, queueActions) = Lifecycle(index: false);
            using var _w = withProvider;
            using var _q = queueProvider;
            var at = T0;
            for (var step = 0; step < 120; step++)
            {
                at = at.AddMinutes(random.Next(1, 180));
                var member = "m" + random.Next(12);
                var group = random.Next(4) == 0 ? "g2" : "g1";
                var type = random.Next(3) == 0 ? EventType.Joined : types[random.Next(types.Length)];
                var e = LifecycleTestKit.Event(
                    $"e{step}",
                    type,
                    member,
                    at,
                    group,
                    task: type == EventType.TaskApproved ? "share" : null,
                    nickname: type == EventType.NicknameChanged ? (random.Next(2) == 0 ? "上海-王-设计" : "bad") : null,
                    amount: type == EventType.Order ? 100 : null);
                await withIndex.ApplyAsync(e);
                await withQueue.ApplyAsync(e);
                if (random.Next(6) == 0)
                {
                    var until = at.AddHours(random.Next(0, 80));
                    SameInTimeOrder(await withQueue.AdvanceToAsync(until), await withIndex.AdvanceToAsync(until));
                    at = until;
                }
            }

            var end = at.AddDays(10);
            SameInTimeOrder(await withQueue.AdvanceToAsync(end), await withIndex.AdvanceToAsync(end));
            Assert.Equal(Canonical(queueActions.Actions), Canonical(withActions.Actions));
            Assert.Contains(withActions.Actions, a => a.Kind == MemberActionKind.Removal); // the scenario reaches removals
        }
    }

    private static void SameInTimeOrder(IReadOnlyList<MemberAction> queue, IReadOnlyList<MemberAction> index)
    {
        Assert.Equal(Canonical(queue), Canonical(index));
        Assert.Equal(index.OrderBy(a => a.At.UtcTicks).ThenBy(a => a.Group, StringComparer.Ordinal).ThenBy(a => a.Member, StringComparer.Ordinal), index); // already in claim order
    }

    /// <summary>By instant, then group and member (ordinal), a member's actions at one instant in the order decided.</summary>
    private static List<MemberAction> Canonical(IEnumerable<MemberAction> actions) =>
        actions.OrderBy(a => a.At.UtcTicks).ThenBy(a => a.Group, StringComparer.Ordinal).ThenBy(a => a.Member, StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86_401)]
    public void DeadlineLeaseTime_OutOfRange_FailsAtStart_NamingIt(int seconds)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureLifecycle(o => o.DeadlineLeaseTime = TimeSpan.FromSeconds(seconds));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LifecycleOptions>>().Value);
        Assert.Contains("DeadlineLeaseTime must be more than zero and at most one day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadlineLeaseTime_OfOneDay_IsAccepted_AndTheDefaultIsOneMinute()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureLifecycle(o => o.DeadlineLeaseTime = TimeSpan.FromDays(1));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(TimeSpan.FromDays(1), provider.GetRequiredService<IOptions<LifecycleOptions>>().Value.DeadlineLeaseTime);
        Assert.Equal(TimeSpan.FromMinutes(1), new LifecycleOptions().DeadlineLeaseTime);
    }
}
