using CommunityFunnel.Members;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Hosting;
using CommunityFunnel.Storage.Tests.TestSupport;
using CommunityFunnel.Tests.Activation;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>What the SQL stores add for the activation projection: restarts, the kept settings, the migration.</summary>
public abstract partial class SqlStoreConformanceTests
{
    /// <summary>Takes the outbox's action type (migration 12, the last one) back out.</summary>
    protected void UndoOutboxActionTypeMigration()
    {
        Execute("ALTER TABLE cf_outbox DROP COLUMN action_type");
        Execute($"DELETE FROM cf_schema_version WHERE version = {LastMigration}");
    }

    /// <summary>Takes migration 12, then the activation projection (migration 11), back out.</summary>
    protected void UndoActivationMigration()
    {
        UndoOutboxActionTypeMigration();
        foreach (var table in new[] { "cf_activation_joins", "cf_activation_views", "cf_activation_orders", "cf_activation_activity", "cf_activation_pairs", "cf_activation_events", "cf_activation_settings" })
        {
            Execute($"DROP TABLE {table}");
        }

        Execute("DELETE FROM cf_schema_version WHERE version = 11");
    }

    [StoreFact]
    public async Task Migration12_OutboxRowsWrittenBeforeIt_ReadAsMemberActions_AndCampaignActionsGoBesideThem()
    {
        var ct = CancellationToken.None;
        var outbox = Host.GetRequiredService<IActionOutbox>();
        var welcome = new OutboxEntry { Id = "w1", Action = new MemberAction(MemberActionKind.Welcome, "g", "m", T0, Rules: "改昵称"), DecidedAt = T0, NextAttemptAt = T0 };
        await Host.GetRequiredService<IMemberStore>().SaveAsync(new MemberRecord { Group = "g", Member = "m", Version = 1, FirstSeenAt = T0 }, 0, [], [welcome], ct);
        UndoOutboxActionTypeMigration();
        Restart();

        outbox = Host.GetRequiredService<IActionOutbox>();
        Assert.Equal(welcome, await outbox.FindAsync("w1", ct));
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        var (published, _) = CampaignActions();
        Assert.Equal(1, await outbox.EnqueueAsync([new OutboxEntry { Id = "p", Action = published, DecidedAt = published.At, NextAttemptAt = published.At }], ct));
        Assert.IsType<CampaignAction>((await outbox.FindAsync("p", ct))!.Action);
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM cf_outbox WHERE id = 'p' AND action_type = 'campaign'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM cf_outbox WHERE id = 'w1' AND action_type = 'member'"));
    }

    [StoreFact]
    public async Task ActivationStore_SurvivesARestart_ANewProviderReadsTheSameReport()
    {
        var random = new Random(99);
        var ct = CancellationToken.None;
        var stream = ProjectionStreams.Generate(random, TimeSpan.FromHours(24), maxMembers: 10);
        Assert.Equal("SqlActivationStore", Activation.GetType().Name);
        var half = stream.Arrivals.Count / 2;
        foreach (var e in stream.Arrivals.Take(half))
        {
            await Activation.ApplyAsync(e, ct);
        }

        var queries = ProjectionStreams.Queries(random, stream, TimeSpan.FromHours(24), QualifyingActivity.DefaultTypes).ToList();
        var before = new List<ActivationReport>();
        foreach (var query in queries)
        {
            before.Add(await Activation.GetReportAsync(query, ct));
        }

        var funnels = ProjectionStreams.FunnelQueries(random, stream, TimeSpan.FromHours(24), QualifyingActivity.DefaultTypes).ToList();
        var funnelsBefore = new List<FunnelReport>();
        foreach (var query in funnels)
        {
            funnelsBefore.Add(await Activation.GetFunnelReportAsync(query, ct));
        }

        Restart();
        for (var i = 0; i < queries.Count; i++)
        {
            ProjectionStreams.AssertSame(before[i], await Activation.GetReportAsync(queries[i], ct), $"after restart, {queries[i]}");
        }

        for (var i = 0; i < funnels.Count; i++)
        {
            ProjectionStreams.AssertSameFunnel(funnelsBefore[i], await Activation.GetFunnelReportAsync(funnels[i], ct), $"after restart, {funnels[i]}");
        }

        // The second half after the restart, the first again (all duplicates now): the report is the whole stream's.
        foreach (var e in stream.Arrivals)
        {
            await Activation.ApplyAsync(e, ct);
        }

        Restart();
        foreach (var query in queries)
        {
            var expected = ActivationCalculator.Calculate(stream.Arrivals, query);
            var actual = await Activation.GetReportAsync(query, ct);
            Assert.Equal(expected.Duplicates + half, actual.Duplicates);
            ProjectionStreams.AssertSame(expected, actual with { Duplicates = expected.Duplicates }, query.ToString());
        }
    }

    [StoreFact]
    public async Task ActivationStore_RowsKeptForAnotherWindow_AreRefused()
    {
        var ct = CancellationToken.None;
        await Activation.ApplyAsync(new CommunityEvent("j", EventType.Joined, "g", "m", T0), ct);
        Restart();
        var other = NewProvider((services, _) => services.Configure<CommunityFunnelOptions>(o => o.ActivationWindow = TimeSpan.FromHours(48)));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => other.GetRequiredService<IActivationStore>().GetReportAsync(new ActivationQuery(T0) { Window = TimeSpan.FromHours(48) }, ct));
        Assert.Contains("window=864000000000", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.GetRequiredService<IActivationStore>().ApplyAsync(new CommunityEvent("j2", EventType.Joined, "g", "m2", T0), ct));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM cf_activation_joins"));
    }

    [StoreFact]
    public async Task AVersion10Database_IsUpgraded_WithAnEmptyProjection()
    {
        var ct = CancellationToken.None;
        await Activation.ApplyAsync(new CommunityEvent("j", EventType.Joined, "g", "m", T0), ct);
        UndoActivationMigration();
        Restart();

        var report = await Activation.GetReportAsync(new ActivationQuery(T0.AddDays(2)), ct);
        Assert.Equal(0, report.Eligible);
        Assert.Equal(LastMigration, Scalar("SELECT MAX(version) FROM cf_schema_version"));
        Assert.True(await Activation.ApplyAsync(new CommunityEvent("j", EventType.Joined, "g", "m", T0), ct));
        Assert.Equal(1, (await Activation.GetReportAsync(new ActivationQuery(T0.AddDays(2)), ct)).Eligible);
    }

    [StoreFact]
    public async Task HostedIntake_AtTwoInstancesAtOnce_FeedsTheProjection_WhichReportsAsTheCalculatorOverTheStoredLog()
    {
        var ct = CancellationToken.None;
        var events = Month(150, 23);
        var a = RuntimeInstance(new Welcomes()).GetRequiredService<IEventIntake>();
        var b = RuntimeInstance(new Welcomes()).GetRequiredService<IEventIntake>();
        async Task Feed(IEventIntake intake, IEnumerable<CommunityEvent> order)
        {
            foreach (var e in order)
            {
                await intake.SubmitAsync(e, ct);
            }
        }

        await Task.WhenAll(Task.Run(() => Feed(a, events)), Task.Run(() => Feed(b, Enumerable.Reverse(events))));
        Restart();

        var host = RuntimeInstance(new Welcomes());
        var stored = new List<CommunityEvent>();
        await foreach (var e in host.GetRequiredService<IEventLogStore>().ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, ct))
        {
            stored.Add(e);
        }

        Assert.Equal(events.Count, stored.Count);
        var projection = host.GetRequiredService<IActivationProjection>();
        var reporter = host.GetRequiredService<IActivationReporter>();
        foreach (var asOf in new[] { T0.AddDays(3), T0.AddDays(12), T0.AddDays(30) })
        {
            foreach (var by in Enum.GetValues<ActivationBreakdownBy>())
            {
                var expected = ActivationCalculator.Calculate(stored, reporter.CreateQuery(asOf) with { BreakdownBy = by });
                ProjectionStreams.AssertSame(expected, await projection.GetActivationReportAsync(asOf, by, ct), $"{asOf:O} by {by}");
            }

            foreach (var by in new[] { ActivationBreakdownBy.Channel, ActivationBreakdownBy.Group })
            {
                var expected = FunnelCalculator.Calculate(stored, reporter.CreateFunnelQuery(asOf) with { By = by });
                ProjectionStreams.AssertSameFunnel(expected, await projection.GetFunnelReportAsync(asOf, by, ct), $"funnel {asOf:O} by {by}");
            }
        }

        Assert.Equal(0, Scalar("SELECT duplicates FROM cf_activation_settings")); // the intake applies only what its append won
        Assert.Equal(events.Count(e => e.Type == EventType.Joined), Scalar("SELECT COUNT(*) FROM cf_activation_joins"));
    }
}
