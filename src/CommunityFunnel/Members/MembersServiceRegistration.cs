using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Members;

/// <summary>The default services of the Members part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class MembersServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        _ = services;
    }
}
