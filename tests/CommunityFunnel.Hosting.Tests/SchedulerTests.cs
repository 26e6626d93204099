using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

public sealed class SchedulerTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(90_000)]
    public async Task Options_APeriodOutOfRange_FailsAtStartNamingTheOption(double seconds)
    {
        await using var rt = Build(options: o =>
        {
            o.SchedulerPeriod = TimeSpan.FromSeconds(seconds);
            o.Draws.Add("");
        });
        var e = Assert.Throws<OptionsValidationException>(() => rt.Provider.GetRequiredService<IOptions<HostedRuntimeOptions>>().Value);
        Assert.Contains("HostedRuntimeOptions.SchedulerPeriod", e.Message, StringComparison.Ordinal);
        Assert.Contains("HostedRuntimeOptions.Draws[0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_TicksOnThePeriodOfTheHostsClock_FiresDueDeadlines_AndStopsOnStop()
    {
        await using var rt = Build(options: o => o.SchedulerPeriod = TimeSpan.FromMinutes(5));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0)); // no nickname: a reminder at T0 + 24 h
        var ticks = new List<int>();
        var tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rt.Scheduler.Ticked += n =>
        {
            lock (ticks)
            {
                ticks.Add(n);
            }

            tick.TrySetResult();
        };

        var hosted = Assert.Single(rt.Provider.GetServices<IHostedService>().OfType<SchedulerHost>());
        await hosted.StartAsync(CancellationToken.None);
        await tick.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the first tick, at start
        Assert.Equal([0], ticks);

        tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rt.Clock.Advance(TimeSpan.FromHours(24)); // the next tick is due (5 minutes): one tick, the reminder
        await tick.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(MemberActionKind.Reminder, rt.Handler.Actions[^1].Kind);
        Assert.Equal(2, ticks.Count);
        Assert.Equal(1, ticks[1]);

        await hosted.StopAsync(CancellationToken.None);
        tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rt.Clock.Advance(TimeSpan.FromHours(1));
        Assert.False(tick.Task.IsCompleted, "ticked after stop");
        Assert.Equal(2, ticks.Count);
    }

    [Fact]
    public async Task Tick_AFailureIsLoggedAndCounted_AndTheNextTickRetries()
    {
        var flaky = new FlakyMemberStore { Inner = new MemberStoreHolder().Create() };
        await using var rt = Build(services: s => s.AddSingleton<IMemberStore>(flaky));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        flaky.FailListsLeft = 1;

        Assert.Equal(0, await rt.Scheduler.TickAsync(CancellationToken.None));
        var failure = Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17007);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Equal("catch-up", failure.Fields["Step"]);
        Assert.IsType<InvalidOperationException>(failure.Exception);

        rt.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(1, await rt.Scheduler.TickAsync(CancellationToken.None));
        Assert.Single(rt.Logs.Entries, e => e.EventId.Id == 17008);
    }

    [Fact]
    public async Task Start_AfterARestart_ProcessesTheDeadlinesMissedWhileDown_InTimeOrder_FromTheStoresDueIndex()
    {
        var (after, _) = await RestartAfterTwoDaysDown(wrap: false);
        await using var _a = after;

        // The in-memory store keeps a due-time index: the new lifecycle finds the overdue deadlines by itself.
        var fired = await after.Lifecycle.AdvanceToNowAsync();
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], fired.Where(a => a.Kind == MemberActionKind.Reminder).Select(r => r.Member));
        Assert.Equal(0, await after.Scheduler.TickAsync(CancellationToken.None)); // once
        var catchUp = Assert.Single(after.Logs.Entries, e => e.EventId.Id == 17008);
        Assert.Equal(0, catchUp.Fields["GroupCount"]); // nothing to reload
    }

    [Fact]
    public async Task Start_AfterARestart_ProcessesTheDeadlinesMissedWhileDown_InTimeOrder_WithAStoreWithoutADueIndex()
    {
        var (after, store) = await RestartAfterTwoDaysDown(wrap: true);
        await using var _a = after;
        Assert.IsNotAssignableFrom<IMemberDeadlineIndex>(store);
        Assert.Empty(await after.Lifecycle.AdvanceToNowAsync()); // a fresh lifecycle does not know them by itself
        Assert.Equal(5, await after.Scheduler.TickAsync(CancellationToken.None)); // the catch-up reloads them
        var reminders = after.Handler.Actions.Where(a => a.Kind == MemberActionKind.Reminder).ToList();
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], reminders.Select(r => r.Member));
        Assert.Equal(0, await after.Scheduler.TickAsync(CancellationToken.None)); // once
    }

    /// <summary>Five joins an hour apart (m4 first), then the host is down for two days and starts again on the same stores.</summary>
    private static async Task<(Runtime After, IMemberStore Store)> RestartAfterTwoDaysDown(bool wrap)
    {
        IMemberStore members;
        IEventLogStore log;
        var clock = new FakeTimeProvider(T0);
        await using (var before = Build(clock))
        {
            for (var i = 0; i < 5; i++)
            {
                await before.Intake.SubmitAsync(Joined($"e{i}", $"m{4 - i}", T0.AddHours(i))); // m4 first, m0 last
            }

            members = before.Provider.GetRequiredService<IMemberStore>();
            log = before.Log;
        }

        clock.Advance(TimeSpan.FromDays(2)); // down for two days: every 24 h reminder is overdue
        if (wrap)
        {
            members = new FlakyMemberStore { Inner = members };
        }

        return (Build(clock, s => s.AddSingleton(members).AddSingleton(log)), members);
    }
}

/// <summary>The in-memory member store, created through a throwaway provider (its type is internal to the core).</summary>
internal sealed class MemberStoreHolder
{
    public IMemberStore Create()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        return services.BuildServiceProvider().GetRequiredService<IMemberStore>();
    }
}

internal sealed class FlakyMemberStore : IMemberStore
{
    public IMemberStore Inner { get; set; } = null!;

    public int FailListsLeft { get; set; }

    public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken) => Inner.FindAsync(group, member, cancellationToken);

    public Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken)
    {
        if (FailListsLeft > 0)
        {
            FailListsLeft--;
            throw new InvalidOperationException("the database is down");
        }

        return Inner.ListGroupAsync(group, cancellationToken);
    }

    public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken) =>
        Inner.SaveAsync(record, expectedVersion, transitions, cancellationToken);

    public Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken) =>
        Inner.GetAuditTrailAsync(group, member, cancellationToken);
}
