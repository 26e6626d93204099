using System.Diagnostics.Metrics;
using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

public sealed class ObservabilityTests
{
    internal sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, long Value, Dictionary<string, object?> Tags)> _measurements = [];

        public Recorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, (long)Math.Round(v), tags));
            _listener.Start();
        }

        public long Sum(string name, string? tag = null, string? value = null)
        {
            lock (_measurements)
            {
                return _measurements.Where(m => m.Name == name && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value))).Sum(m => m.Value);
            }
        }

        public int Count(string name)
        {
            lock (_measurements)
            {
                return _measurements.Count(m => m.Name == name);
            }
        }

        public void Observe() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();

        private void Add(string name, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var t = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in tags)
            {
                t[k] = v;
            }

            lock (_measurements)
            {
                _measurements.Add((name, value, t));
            }
        }
    }

    [Fact]
    public async Task Meter_IsNamedCommunityFunnel_AndCountsAppliedDuplicatesAndActionsByKind()
    {
        await using var rt = Build();
        var metrics = rt.Provider.GetRequiredService<HostingMetrics>();
        Assert.Equal("CommunityFunnel", metrics.Meter.Name);
        using var recorder = new Recorder(metrics.Meter);

        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        await rt.Intake.SubmitAsync(Joined("e2", "m2", T0));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        rt.Clock.Advance(TimeSpan.FromHours(24));
        await rt.Scheduler.TickAsync(CancellationToken.None);

        Assert.Equal(2, recorder.Sum("communityfunnel.events.applied"));
        Assert.Equal(1, recorder.Sum("communityfunnel.events.duplicates"));
        Assert.Equal(2, recorder.Sum("communityfunnel.actions", "kind", "welcome"));
        Assert.Equal(2, recorder.Sum("communityfunnel.actions", "kind", "reminder"));
        Assert.Equal(0, recorder.Sum("communityfunnel.actions", "kind", "removal"));
        recorder.Observe();
        Assert.Equal(0, recorder.Sum("communityfunnel.rewards.refusals", "reason", "budget"));
    }

    [Fact]
    public async Task Meter_RecordsSchedulerLagAndFailures()
    {
        await using var rt = Build(options: o => o.SchedulerPeriod = TimeSpan.FromMinutes(1));
        using var recorder = new Recorder(rt.Provider.GetRequiredService<HostingMetrics>().Meter);
        var hosted = Assert.Single(rt.Provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<SchedulerHost>());
        var tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rt.Scheduler.Ticked += _ => tick.TrySetResult();
        await hosted.StartAsync(CancellationToken.None);
        await tick.Task.WaitAsync(TimeSpan.FromSeconds(10));
        tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rt.Clock.Advance(TimeSpan.FromMinutes(31)); // the tick due at +1 min starts 30 min late
        await tick.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await hosted.StopAsync(CancellationToken.None);

        Assert.Equal(2, recorder.Count("communityfunnel.scheduler.lag"));
        Assert.Equal(30 * 60, recorder.Sum("communityfunnel.scheduler.lag"));
        Assert.Equal(0, recorder.Sum("communityfunnel.scheduler.failures"));
    }

    [Fact]
    public async Task Logs_HaveEventIdsAndStructuredFields_ForAppliedDuplicateAndRemoval()
    {
        await using var rt = Build(builder: b => b.ConfigureLifecycle(o => o.DefaultPolicy = new LifecyclePolicy
        {
            NicknamePattern = "^[^-]+-[^-]+-[^-]+$",
            OnboardingGrace = TimeSpan.FromHours(1),
            WarningGrace = TimeSpan.FromHours(1),
        }));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        for (var i = 0; i < 3; i++)
        {
            rt.Clock.Advance(TimeSpan.FromHours(1));
            await rt.Scheduler.TickAsync(CancellationToken.None);
        }

        var entries = rt.Logs.Entries;
        var applied = Assert.Single(entries, e => e.EventId.Id == 17001);
        Assert.Equal("e1", applied.Fields["EventId"]);
        Assert.Equal("joined", applied.Fields["EventType"]);
        Assert.Equal("g1", applied.Fields["Group"]);
        Assert.Equal("m1", applied.Fields["Member"]);
        Assert.Equal(1, applied.Fields["ActionCount"]);
        var duplicate = Assert.Single(entries, e => e.EventId.Id == 17002);
        Assert.Equal("e1", duplicate.Fields["EventId"]);
        Assert.Contains(rt.Handler.Actions, a => a.Kind == MemberActionKind.Removal);
        var removal = Assert.Single(entries, e => e.EventId.Id == 17003);
        Assert.Equal(LogLevel.Information, removal.Level);
        Assert.Equal("m1", removal.Fields["Member"]);
        Assert.Equal("Nickname", removal.Fields["Reason"]);
    }
}
