using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>IRuntimeHealth: the outbox's backlog, lag and dead letters, and the scheduler's last tick, against the limits.</summary>
public sealed class HealthTests
{
    private sealed class Refusing : IMemberActionHandler
    {
        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken) => throw new InvalidOperationException("WeCom said no");
    }

    private static IRuntimeHealth Health(Runtime rt) => rt.Provider.GetRequiredService<IRuntimeHealth>();

    [Fact]
    public async Task TheScheduler_IsDegradedBeforeItsFirstTick_HealthyAfter_AndUnhealthyWhenItStopsTicking()
    {
        await using var rt = Build(options: o => o.Health.SchedulerLagLimit = TimeSpan.FromSeconds(30));
        var before = await Health(rt).CheckAsync();
        Assert.Equal(RuntimeHealthStatus.Degraded, before.Status);
        Assert.Equal("the scheduler has not finished a tick yet", Assert.Single(before.Problems));

        await rt.Scheduler.TickAsync(CancellationToken.None);
        var after = await Health(rt).CheckAsync();
        Assert.Equal((RuntimeHealthStatus.Healthy, "healthy", (DateTimeOffset?)T0), (after.Status, after.Description, after.LastTickAt));
        Assert.Null(after.Outbox); // the outbox is off in this runtime

        rt.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(30)); // the period (1 min) plus the limit: still fine
        Assert.Equal(RuntimeHealthStatus.Healthy, (await Health(rt).CheckAsync()).Status);
        rt.Clock.Advance(TimeSpan.FromSeconds(1));
        var stalled = await Health(rt).CheckAsync();
        Assert.Equal(RuntimeHealthStatus.Unhealthy, stalled.Status);
        Assert.Equal("the scheduler's last tick ended 91 s ago (period 60 s, limit 30 s more)", stalled.Description);
        Assert.Equal(TimeSpan.FromSeconds(91), stalled.SinceLastTick);
    }

    [Fact]
    public async Task AFailedTickStep_IsDegraded_NamingTheStep()
    {
        var flaky = new FlakyMemberStore { Inner = new MemberStoreHolder().Create(), FailListsLeft = 1 };
        await using var rt = Build(services: s => s.AddSingleton<IMemberStore>(flaky));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        await rt.Scheduler.TickAsync(CancellationToken.None);
        var report = await Health(rt).CheckAsync();
        Assert.Equal((RuntimeHealthStatus.Degraded, "the scheduler's last tick failed in: catch-up"), (report.Status, report.Description));

        await rt.Scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(RuntimeHealthStatus.Healthy, (await Health(rt).CheckAsync()).Status);
    }

    [Fact]
    public async Task TheOutbox_IsDegradedAboveItsBacklogAndLagLimits_AndWithDeadLetters_HealthyOnceDelivered()
    {
        await using var rt = Build(outbox: true, options: o =>
        {
            o.RunScheduler = false;
            o.Health.OutboxBacklogLimit = 2;
            o.Health.OutboxLagLimit = TimeSpan.FromMinutes(5);
        });
        for (var i = 0; i < 3; i++)
        {
            await rt.Intake.SubmitAsync(Joined($"e{i}", $"m{i}", T0)); // a welcome each, waiting in the outbox
        }

        var backlog = await Health(rt).CheckAsync();
        Assert.Equal((RuntimeHealthStatus.Degraded, "3 outbox actions wait for delivery (limit 2)"), (backlog.Status, backlog.Description));
        Assert.Equal(new OutboxStatistics(3, 0, T0), backlog.Outbox);

        rt.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(
            ["3 outbox actions wait for delivery (limit 2)", "the oldest waiting outbox action was decided 360 s ago (limit 300 s)"],
            (await Health(rt).CheckAsync()).Problems);

        await rt.Provider.GetRequiredService<OutboxDispatcher>().PollAsync(CancellationToken.None);
        Assert.Equal(RuntimeHealthStatus.Healthy, (await Health(rt).CheckAsync()).Status);
        Assert.Equal(3, rt.Handler.Actions.Count);
    }

    [Fact]
    public async Task DeadLetters_AreDegraded()
    {
        await using var rt = Build(outbox: true, builder: b => b.AddMemberActionHandler(new Refusing()), options: o =>
        {
            o.RunScheduler = false;
            o.Outbox.MaxAttempts = 1;
        });
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        await rt.Provider.GetRequiredService<OutboxDispatcher>().PollAsync(CancellationToken.None);
        var report = await Health(rt).CheckAsync();
        Assert.Equal((RuntimeHealthStatus.Degraded, "1 outbox actions are dead letters"), (report.Status, report.Description));
    }

    [Fact]
    public void BadHealthLimits_FailAtStart_NamingEach()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddHostedRuntime(o =>
        {
            o.Health.OutboxBacklogLimit = 0;
            o.Health.OutboxLagLimit = TimeSpan.Zero;
            o.Health.SchedulerLagLimit = TimeSpan.FromSeconds(-1);
        });
        using var provider = services.BuildServiceProvider();
        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostedRuntimeOptions>>().Value);
        foreach (var field in new[] { "Health.OutboxBacklogLimit must be at least 1", "Health.OutboxLagLimit must be more than zero", "Health.SchedulerLagLimit must be more than zero" })
        {
            Assert.Contains(field, failure.Message, StringComparison.Ordinal);
        }
    }
}
