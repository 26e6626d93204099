using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>The default services of the Members part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class MembersServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        services.AddOptions<LifecycleOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LifecycleOptions>, LifecycleOptionsValidator>());
        services.TryAddSingleton<MemberActionDispatcher>();
        services.TryAddSingleton<IMemberLifecycle>(provider => new MemberLifecycleService(
            provider.GetStore<IMemberStore>(),
            provider.GetRequiredService<MemberActionDispatcher>(),
            provider.GetTimeProvider(),
            provider.GetRequiredService<IOptions<LifecycleOptions>>(),
            provider.GetRequiredService<IOptions<CommunityFunnelOptions>>()));
    }
}
