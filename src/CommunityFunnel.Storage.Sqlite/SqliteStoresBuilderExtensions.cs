using CommunityFunnel;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Storage;
using CommunityFunnel.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the SQLite stores into CommunityFunnel.</summary>
public static class SqliteStoresBuilderExtensions
{
    /// <summary>
    /// Replaces every in-memory store (members and their action outbox, reward ledger and budgets, the member facts rewards check, draws and entries, draw seeds, coupons, CommunityFunnel.Hosting's event log, and the activation projection's rows) with
    /// SQLite stores in one file. The schema is created or upgraded the first time a store is used; options are
    /// validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">A connection string naming the file, e.g. <c>Data Source=community.db</c>.</param>
    /// <param name="configure">Optional changes to the other settings (durability, busy timeout).</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UseSqliteStores(
        this CommunityFunnelBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>()
            .Configure(o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.Replace(ServiceDescriptor.Singleton<IMemberStore>(sp => new SqlMemberStore(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IActionOutbox>(sp => new SqlActionOutbox(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IRewardLedger>(sp => new SqlRewardLedger(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IMemberDirectory>(sp => new SqlMemberDirectory(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IDrawStore>(sp => new SqlDrawStore(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IDrawSecretStore>(sp => new SqlDrawSecretStore(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<ICouponStore>(sp => new SqlCouponStore(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IEventLogStore>(sp => new SqlEventLogStore(sp.GetRequiredService<SqliteDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IActivationStore>(sp => new SqlActivationStore(
            sp.GetRequiredService<SqliteDatabase>(),
            new ActivationProjectionRules(
                sp.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.ActivationWindow,
                [.. sp.GetRequiredService<IOptions<ActivationOptions>>().Value.QualifyingTypes]))));
        return builder;
    }
}
