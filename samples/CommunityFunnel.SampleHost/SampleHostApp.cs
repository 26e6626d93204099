using System.Text.Json.Serialization;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// Builds the sample host: CommunityFunnel with the hosted runtime (event intake, scheduler, action outbox) on SQLite
/// or PostgreSQL, and the minimal-API endpoints. <c>Program</c> runs it; tests start it on loopback with their own
/// arguments and services.
/// </summary>
public static class SampleHostApp
{
    /// <summary>Builds the application from <paramref name="args"/> and the usual ASP.NET Core configuration sources.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--CommunityFunnel:Sqlite=...</c>, ...).</param>
    /// <param name="configure">
    /// Optional last changes to the builder before it is built (tests replace the <see cref="TimeProvider"/> or add a
    /// logger provider here); a service registered here wins over the host's own.
    /// </param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = SampleHostSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<TimeProvider>(settings.ClockStart is { } start ? new SampleClock(start) : TimeProvider.System);
        var campaign = settings.CampaignFile is { } path ? CampaignLoader.Load(path) : null;
        if (campaign?.TimeZoneId is { } campaignZone && !string.Equals(campaignZone, settings.TimeZone, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"CommunityFunnel:Campaign: the campaign file '{campaign.Path}' is for the time zone '{campaignZone}' but CommunityFunnel:TimeZone is '{settings.TimeZone}': set one to the other.");
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();

        var funnel = builder.Services.AddCommunityFunnel(o => o.TimeZoneId = settings.TimeZone);
        if (settings.PostgreSql is { } pg)
        {
            funnel.UsePostgreSqlStores(pg);
        }
        else
        {
            funnel.UseSqliteStores("Data Source=" + settings.SqliteFile);
        }

        if (settings.FixedEntropy is { } entropy)
        {
            funnel.UsePublicEntropySource(new FixedEntropySource(entropy));
        }

        if (campaign is not null)
        {
            // The whole loop: the rules grant tickets as events arrive, the scheduler's ticks run the templates (create,
            // enter, close, draw, grant prizes) and hand each prize_won and draw_published to the handler.
            builder.Services.AddSingleton(campaign);
            funnel.AddRewardRules(campaign.Rules)
                .AddDrawTemplates([.. campaign.Templates])
                .AddCampaignActionHandler<CampaignActionLog>();
        }

        funnel.AddMemberActionHandler<LoggingActionHandler>()
            .AddHostedRuntime(o =>
            {
                o.RunScheduler = settings.RunScheduler;
                o.SchedulerPeriod = settings.SchedulerPeriod;
                o.RecoveryDelay = settings.RecoveryDelay ?? o.RecoveryDelay;
                foreach (var draw in settings.ScheduledDraws)
                {
                    o.Draws.Add(draw);
                }

                o.Outbox.RunDispatcher = settings.RunDispatcher;
                o.Outbox.PollPeriod = settings.PollPeriod ?? o.Outbox.PollPeriod;
                o.Outbox.LeaseTime = settings.LeaseTime ?? o.Outbox.LeaseTime;
                o.Outbox.RetryDelay = settings.RetryDelay ?? o.Outbox.RetryDelay;
                o.Outbox.MaxAttempts = settings.MaxAttempts ?? o.Outbox.MaxAttempts;
                o.Outbox.BatchSize = settings.BatchSize ?? o.Outbox.BatchSize;
                o.Health.OutboxBacklogLimit = settings.OutboxBacklogDegradedAbove;
                o.Health.OutboxLagLimit = settings.OutboxLagLimit ?? o.Health.OutboxLagLimit;
                o.Outbox.InstanceId = settings.InstanceId ?? o.Outbox.InstanceId;
            });
        builder.Services.AddHealthChecks().AddRuntimeHealthCheck();

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapEventEndpoints();
        app.MapReportEndpoints();
        app.MapMemberEndpoints();
        app.MapDrawEndpoints();
        app.MapCampaignEndpoints();
        app.MapTelegramEndpoint(app.Configuration);
        app.MapRuntimeHealthCheck("/health");
        return app;
    }

    /// <summary>Public entropy fixed by configuration (rehearsals and tests): the operator chose it, so it proves nothing to entrants.</summary>
    private sealed class FixedEntropySource(byte[] bytes) : IPublicEntropySource
    {
        public Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken) => Task.FromResult(bytes.ToArray());
    }
}
