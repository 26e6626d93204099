using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>
/// A report as of T reads only the joins before T: SQLite's plan for the report's range reads (the statements of
/// SqlActivationStore, repeated here) goes by the join_ticks indexes, never a scan of the join table.
/// </summary>
public sealed class SqliteActivationPlanTests : IDisposable
{
    private readonly string _path = SqliteFiles.NewPath();

    public void Dispose() => SqliteFiles.Delete(_path);

    [Theory]
    [InlineData("is_first = 1 AND ", "cf_activation_joins_first_at")]
    [InlineData("", "cf_activation_joins_at")]
    public async Task TheReportsRangeRead_UsesTheJoinTimeIndex(string firstOnly, string index)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={_path}");
        using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IActivationStore>();
            var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 200; i++)
            {
                await store.ApplyAsync(new CommunityEvent($"j{i}", EventType.Joined, "g", $"m{i % 150}", t0.AddHours(i)), CancellationToken.None);
            }
        }

        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using (var analyze = connection.CreateCommand())
        {
            analyze.CommandText = "ANALYZE";
            analyze.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT join_ticks, group_id, channel, excluded, attribution, first_activity_ticks, first_order_ticks"
            + $" FROM cf_activation_joins WHERE {firstOnly}join_ticks >= @f AND join_ticks < @b";
        command.Parameters.AddWithValue("@f", long.MinValue);
        command.Parameters.AddWithValue("@b", new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).UtcTicks);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var detail = string.Join(" | ", plan);
        Assert.Contains($"USING INDEX {index} (join_ticks>? AND join_ticks<?)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN cf_activation_joins", detail, StringComparison.Ordinal);
    }
}
