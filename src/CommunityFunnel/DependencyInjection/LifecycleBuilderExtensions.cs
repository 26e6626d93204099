using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Host plug-ins for the member lifecycle: policies, a store, action handlers.</summary>
public static class LifecycleBuilderExtensions
{
    /// <summary>Configures the lifecycle policies (validated when the host starts).</summary>
    public static CommunityFunnelBuilder ConfigureLifecycle(this CommunityFunnelBuilder builder, Action<LifecycleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Replaces the in-memory member store with the host's (e.g. a SQL one), as a singleton.</summary>
    public static CommunityFunnelBuilder UseMemberStore<TStore>(this CommunityFunnelBuilder builder)
        where TStore : class, IMemberStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemberStore, TStore>());
        return builder;
    }

    /// <summary>Replaces the in-memory member store with the given instance.</summary>
    public static CommunityFunnelBuilder UseMemberStore(this CommunityFunnelBuilder builder, IMemberStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return builder;
    }

    /// <summary>Adds a handler that carries out member actions on the host's platform (several may be added).</summary>
    public static CommunityFunnelBuilder AddMemberActionHandler<THandler>(this CommunityFunnelBuilder builder)
        where THandler : class, IMemberActionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemberActionHandler, THandler>());
        return builder;
    }

    /// <summary>Adds a handler instance that carries out member actions.</summary>
    public static CommunityFunnelBuilder AddMemberActionHandler(this CommunityFunnelBuilder builder, IMemberActionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(handler);
        return builder;
    }
}
