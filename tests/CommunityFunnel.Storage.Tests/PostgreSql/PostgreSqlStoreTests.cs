using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.PostgreSql;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Storage.Tests.PostgreSql;

[RequiresPostgreSql]
public sealed class PostgreSqlStoreTests
{
    [StoreFact]
    public void UsePostgreSqlStores_ReplacesEveryInMemoryDefault()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores("Host=127.0.0.1;Database=community");
        foreach (var type in new[] { typeof(IMemberStore), typeof(IRewardLedger), typeof(IDrawStore), typeof(IDrawSecretStore) })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == type);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
            Assert.NotNull(descriptor.ImplementationFactory);
        }

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PostgreSqlStoreOptions>));
    }

    [StoreFact]
    public void BadOptions_AreReportedWhenTheStoresAreFirstUsed()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores("");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRewardLedger>());
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public void TwoHostsStartingAtOnce_MigrateOnce()
    {
        var connectionString = PostgreSqlServer.CreateSchema(out var schema);
        try
        {
            var providers = Enumerable.Range(0, 4).Select(_ =>
            {
                var services = new ServiceCollection();
                services.AddCommunityFunnel().UsePostgreSqlStores(connectionString);
                return services.BuildServiceProvider();
            }).ToList();
            Parallel.ForEach(providers, p => p.GetRequiredService<IRewardLedger>().GetCounter("x"));
            Assert.Equal(0, providers[0].GetRequiredService<IRewardLedger>().GetCounter("x"));
            providers.ForEach(p => p.Dispose());
        }
        finally
        {
            PostgreSqlServer.DropSchema(schema);
        }
    }
}
