using CommunityFunnel;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Storage;
using CommunityFunnel.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the PostgreSQL stores into CommunityFunnel.</summary>
public static class PostgreSqlStoresBuilderExtensions
{
    /// <summary>
    /// Replaces every in-memory store (members and their action outbox, reward ledger and budgets, the member facts rewards check, draws and entries, draw seeds, coupons, CommunityFunnel.Hosting's event log, and the activation projection's rows) with
    /// PostgreSQL stores, safe to share between many host instances. The schema is created or upgraded the first
    /// time a store is used; options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UsePostgreSqlStores(this CommunityFunnelBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        var services = builder.Services;
        services.AddOptions<PostgreSqlStoreOptions>().Configure(o => o.ConnectionString = connectionString).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgreSqlDatabase(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.Replace(ServiceDescriptor.Singleton<IMemberStore>(sp => new SqlMemberStore(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IActionOutbox>(sp => new SqlActionOutbox(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IRewardLedger>(sp => new SqlRewardLedger(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IMemberDirectory>(sp => new SqlMemberDirectory(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IDrawStore>(sp => new SqlDrawStore(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IDrawSecretStore>(sp => new SqlDrawSecretStore(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<ICouponStore>(sp => new SqlCouponStore(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IEventLogStore>(sp => new SqlEventLogStore(sp.GetRequiredService<PostgreSqlDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IActivationStore>(sp => new SqlActivationStore(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            new ActivationProjectionRules(
                sp.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.ActivationWindow,
                [.. sp.GetRequiredService<IOptions<ActivationOptions>>().Value.QualifyingTypes]))));
        return builder;
    }
}
