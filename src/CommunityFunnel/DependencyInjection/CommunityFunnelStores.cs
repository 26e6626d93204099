using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>
/// The stores a host must choose: <c>AddCommunityFunnel()</c> registers none, so that a host never loses its data on
/// a restart because it forgot to pick a durable store. Missing stores fail the host's start (options validation)
/// and any service that needs one, with a message naming what to add.
/// </summary>
internal static class CommunityFunnelStores
{
    private static readonly (Type Contract, string Holds, string Use)[] Required =
    [
        (typeof(IMemberStore), "members", "UseMemberStore<T>()"),
        (typeof(IRewardLedger), "the reward ledger", "UseRewardLedger<T>()"),
        (typeof(IMemberDirectory), "the member facts rewards check", "UseMemberDirectory<T>()"),
        (typeof(IDrawStore), "draws and entries", "UseDrawStore<T>()"),
        (typeof(IDrawSecretStore), "draw seeds", "UseDrawSecretStore<T>()"),
        (typeof(ICouponStore), "coupons", "UseCouponStore<T>()"),
    ];

    /// <summary>The store of type <typeparamref name="T"/>; throws naming what to add when the host chose none.</summary>
    public static T GetStore<T>(this IServiceProvider provider)
        where T : class =>
        provider.GetService<T>() ?? throw new InvalidOperationException(Message(Required.Where(r => r.Contract == typeof(T))));

    /// <summary>The message naming the stores the host has not chosen, or null when none is missing.</summary>
    public static string? Missing(IServiceProvider provider)
    {
        var registered = provider.GetService<IServiceProviderIsService>();
        var missing = Required.Where(r => registered is null ? provider.GetService(r.Contract) is null : !registered.IsService(r.Contract)).ToList();
        return missing.Count == 0 ? null : Message(missing);
    }

    private static string Message(IEnumerable<(Type Contract, string Holds, string Use)> missing) =>
        "CommunityFunnel has no store for "
        + string.Join(", ", missing.Select(m => $"{m.Holds} ({m.Contract.Name}; or {m.Use})"))
        + ". Choose the stores on AddCommunityFunnel(): UseInMemoryStores() for tests and demos (everything is lost when"
        + " the process ends), UseSqliteStores(...) from CommunityFunnel.Storage.Sqlite, or UsePostgreSqlStores(...) from"
        + " CommunityFunnel.Storage.PostgreSql.";

    /// <summary>Fails options validation, and with it the host's start, while a store is missing.</summary>
    internal sealed class Validator(IServiceProvider provider) : IValidateOptions<CommunityFunnelOptions>
    {
        public ValidateOptionsResult Validate(string? name, CommunityFunnelOptions options) =>
            Missing(provider) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
