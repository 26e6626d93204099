using CommunityFunnel.Activation;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Events;
using CommunityFunnel.Hosting;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the hosted runtime (CommunityFunnel.Hosting) to <c>AddCommunityFunnel()</c>.</summary>
public static class HostedRuntimeBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IEventIntake"/> over the <see cref="IEventLogStore"/> the host chose with its stores
    /// (<c>UseInMemoryStores()</c>, <c>UseSqliteStores(..)</c>, <c>UsePostgreSqlStores(..)</c> or its own; the host
    /// fails at start, naming what to add, when there is none), the "CommunityFunnel" meter and,
    /// unless <see cref="HostedRuntimeOptions.RunScheduler"/> is off, the scheduler as an <see cref="IHostedService"/>;
    /// with the action outbox (<see cref="HostedRuntimeOptions.Outbox"/>, on by default) decided actions are saved with
    /// their state change and delivered by the outbox dispatcher (another <see cref="IHostedService"/>).
    /// <see cref="HostedRuntimeOptions"/> are validated when the host starts. Calling it twice is harmless (the
    /// second <paramref name="configure"/> is applied too).
    /// </summary>
    /// <param name="builder">The builder <c>AddCommunityFunnel()</c> returned.</param>
    /// <param name="configure">Optional changes to the <see cref="HostedRuntimeOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder AddHostedRuntime(this CommunityFunnelBuilder builder, Action<HostedRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<HostedRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostedRuntimeOptions>, HostedRuntimeOptionsValidator>());
        services.TryAddSingleton(sp => new HostingMetrics(sp.GetService<IRewardEngine>()));
        services.TryAddSingleton(sp => new EventIntake(
            sp.GetRequiredService<IEventLogStore>(),
            sp.GetRequiredService<IMemberLifecycle>(),
            sp.GetService<IRewardEngine>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<HostingMetrics>(),
            Logger<EventIntake>(sp),
            sp.GetService<IActivationStore>() is null ? null : sp.GetRequiredService<IActivationProjection>(),
            sp.GetRequiredService<IOptions<HostedRuntimeOptions>>().Value.Outbox.Enabled && sp.GetServices<IRewardGrantHandler>().Any() ? sp.GetService<IActionOutbox>() : null));
        services.TryAddSingleton<IEventIntake>(sp => sp.GetRequiredService<EventIntake>());
        services.TryAddSingleton(sp => new RuntimeScheduler(
            sp.GetRequiredService<EventIntake>(),
            sp.GetRequiredService<IMemberLifecycle>(),
            sp.GetRequiredService<IMemberStore>(),
            sp.GetRequiredService<IEventLogStore>(),
            sp.GetService<IDrawService>(),
            sp.GetService<IDrawStore>() as IDrawDueIndex,
            sp.GetService<IDrawCampaign>(),
            sp.GetServices<ICampaignActionHandler>(),
            sp.GetRequiredService<IOptions<HostedRuntimeOptions>>().Value.Outbox.Enabled ? sp.GetService<IActionOutbox>() : null,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<IOptions<HostedRuntimeOptions>>(),
            sp.GetRequiredService<HostingMetrics>(),
            Logger<RuntimeScheduler>(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchedulerHost>());
        services.TryAddSingleton<IRuntimeHealth>(sp => new RuntimeHealth(
            sp.GetService<IActionOutbox>(),
            sp.GetRequiredService<RuntimeScheduler>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<IOptions<HostedRuntimeOptions>>()));
        services.AddOptions<LifecycleOptions>().Configure<IOptions<HostedRuntimeOptions>>((lifecycle, runtime) => lifecycle.UseOutbox |= runtime.Value.Outbox.Enabled);
        services.TryAddSingleton(sp => new OutboxDispatcher(
            sp.GetRequiredService<IActionOutbox>(),
            sp.GetServices<IMemberActionHandler>(),
            sp.GetServices<ICampaignActionHandler>(),
            sp.GetServices<IRewardGrantHandler>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<IOptions<HostedRuntimeOptions>>(),
            sp.GetRequiredService<HostingMetrics>(),
            Logger<OutboxDispatcher>(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcherHost>());
        return builder;
    }

    /// <summary>
    /// Registers a host's <see cref="ICampaignActionHandler"/> (a singleton): it gets every action of the recurring draws
    /// (<c>AddDrawTemplates</c>) the scheduler runs, from the action outbox when it is on. Several handlers each get every
    /// action, in registration order.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder AddCampaignActionHandler<THandler>(this CommunityFunnelBuilder builder)
        where THandler : class, ICampaignActionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ICampaignActionHandler, THandler>();
        return builder;
    }

    /// <summary>Registers a host's <see cref="ICampaignActionHandler"/> instance (see the generic overload).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder AddCampaignActionHandler(this CommunityFunnelBuilder builder, ICampaignActionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(handler);
        return builder;
    }

    /// <summary>
    /// Registers a host's <see cref="IRewardGrantHandler"/> (a singleton) and so turns grant notices on: every reward the
    /// ledger grants for a submitted event reaches it through the action outbox (which must be on). Several handlers each
    /// get every notice, in registration order.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder AddRewardGrantHandler<THandler>(this CommunityFunnelBuilder builder)
        where THandler : class, IRewardGrantHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IRewardGrantHandler, THandler>();
        return builder;
    }

    /// <summary>Registers a host's <see cref="IRewardGrantHandler"/> instance (see the generic overload).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder AddRewardGrantHandler(this CommunityFunnelBuilder builder, IRewardGrantHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(handler);
        return builder;
    }

    private static ILogger<T> Logger<T>(IServiceProvider sp) =>
        sp.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
