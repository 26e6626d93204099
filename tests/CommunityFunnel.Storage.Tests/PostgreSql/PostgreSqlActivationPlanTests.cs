using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Storage.Tests.PostgreSql;

/// <summary>
/// The report's range reads (SqlActivationStore's statements, repeated here) can go by the join_ticks indexes on
/// PostgreSQL: with sequential scans priced out, the plan names the index (so no scan of every join is needed).
/// </summary>
[RequiresPostgreSql]
public sealed class PostgreSqlActivationPlanTests : IDisposable
{
    private readonly string _connectionString;
    private readonly string _schema;

    public PostgreSqlActivationPlanTests() => _connectionString = PostgreSqlServer.CreateSchema(out _schema);

    public void Dispose() => PostgreSqlServer.DropSchema(_schema);

    [StoreFact]
    public async Task TheReportsRangeReads_CanUseTheJoinTimeIndexes()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores(_connectionString);
        using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IActivationStore>();
            var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 100; i++)
            {
                await store.ApplyAsync(new CommunityEvent($"j{i}", EventType.Joined, "g", $"m{i % 70}", t0.AddHours(i)), CancellationToken.None);
            }
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        foreach (var (firstOnly, index) in new[] { ("is_first = 1 AND ", "cf_activation_joins_first_at"), (string.Empty, "cf_activation_joins_at") })
        {
            await using var command = new NpgsqlCommand(
                "SET LOCAL enable_seqscan = off; EXPLAIN SELECT join_ticks, group_id, channel, excluded, attribution, first_activity_ticks, first_order_ticks"
                + $" FROM cf_activation_joins WHERE {firstOnly}join_ticks >= 0 AND join_ticks < 638000000000000000",
                connection);
            await using var tx = await connection.BeginTransactionAsync();
            command.Transaction = tx;
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                do
                {
                    while (await reader.ReadAsync())
                    {
                        plan.Add(reader.GetString(0));
                    }
                }
                while (await reader.NextResultAsync());
            }

            Assert.Contains(index, string.Join(" | ", plan), StringComparison.Ordinal);
        }
    }
}
