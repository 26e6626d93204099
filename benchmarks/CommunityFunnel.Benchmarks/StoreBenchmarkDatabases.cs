using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The databases of the store benchmarks: a fresh SQLite file (WAL, synchronous=FULL, the package default) and,
/// when COMMUNITYFUNNEL_PG names a server (e.g. from `bash .ci/postgres.sh start`), a fresh schema on it
/// (synchronous_commit=on, the server default). Without it the PostgreSQL cases fail with that message.
/// </summary>
internal sealed class StoreBenchmarkDatabases : IDisposable
{
    public const string Variable = "COMMUNITYFUNNEL_PG";

    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"cf-bench-{Guid.NewGuid():N}.db");
    private readonly string? _pgAdmin = Environment.GetEnvironmentVariable(Variable);
    private readonly string _schema = $"bench_{Guid.NewGuid():N}";
    private readonly ServiceProvider _sqlite;
    private readonly ServiceProvider? _pg;

    public StoreBenchmarkDatabases()
    {
        _sqlite = Provider(b => b.UseSqliteStores($"Data Source={_sqlitePath}"));
        if (string.IsNullOrWhiteSpace(_pgAdmin))
        {
            Console.WriteLine($"// {Variable} is not set: the PostgreSQL cases fail. Start a server with `bash .ci/postgres.sh start` and export {Variable}=<the connection string it prints>.");
            return;
        }

        using (var connection = new NpgsqlConnection(_pgAdmin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
            command.ExecuteNonQuery();
        }

        var cs = new NpgsqlConnectionStringBuilder(_pgAdmin) { SearchPath = _schema }.ToString();
        _pg = Provider(b => b.UsePostgreSqlStores(cs));
    }

    public IRewardLedger SqliteLedger => _sqlite.GetRequiredService<IRewardLedger>();

    public IMemberStore SqliteMembers => _sqlite.GetRequiredService<IMemberStore>();

    public CommunityFunnel.Rewards.Coupons.ICouponService SqliteCoupons => _sqlite.GetRequiredService<CommunityFunnel.Rewards.Coupons.ICouponService>();

    public IRewardLedger PostgreSqlLedger => (_pg ?? throw Missing()).GetRequiredService<IRewardLedger>();

    public CommunityFunnel.Rewards.Coupons.ICouponService PostgreSqlCoupons => (_pg ?? throw Missing()).GetRequiredService<CommunityFunnel.Rewards.Coupons.ICouponService>();

    public IMemberStore PostgreSqlMembers => (_pg ?? throw Missing()).GetRequiredService<IMemberStore>();

    public void Dispose()
    {
        _sqlite.Dispose();
        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }

        if (_pg is not null)
        {
            _pg.Dispose();
            using var connection = new NpgsqlConnection(_pgAdmin);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }

    private static InvalidOperationException Missing() =>
        new($"{Variable} is not set: no PostgreSQL server for this case (start one with bash .ci/postgres.sh start and export {Variable}).");

    private static ServiceProvider Provider(Action<CommunityFunnelBuilder> use)
    {
        var services = new ServiceCollection();
        use(services.AddCommunityFunnel());
        return services.BuildServiceProvider();
    }
}
