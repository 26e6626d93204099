using System.Globalization;
using Npgsql;

namespace CommunityFunnel.SampleHost.Tests.TestSupport;

/// <summary>Where a test's host keeps its data: a SQLite file in a temp folder, or a fresh schema on the PostgreSQL server of COMMUNITYFUNNEL_PG.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly string? _folder;
    private readonly string? _schema;

    private TestStore(string[] arguments, string? folder, string? schema, string? connectionString)
    {
        Arguments = arguments;
        _folder = folder;
        _schema = schema;
        ConnectionString = connectionString;
    }

    /// <summary>The settings that point the sample at this store (an empty PostgreSQL string means SQLite).</summary>
    public string[] Arguments { get; }

    /// <summary>The PostgreSQL connection string (with the schema as search path), or null for SQLite.</summary>
    public string? ConnectionString { get; }

    public static TestStore Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("cf-samplehost-").FullName;
        var file = Path.Combine(folder, "host.db");
        return new TestStore(["--ConnectionStrings:PostgreSql=", "--CommunityFunnel:Sqlite=" + file], folder, null, null);
    }

    public static TestStore PostgreSql()
    {
        var server = PostgreSqlServer.ConnectionString;
        var schema = "sh_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }

        var cs = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 20 }.ToString();
        return new TestStore(["--ConnectionStrings:PostgreSql=" + cs], null, schema, cs);
    }

    public void Dispose()
    {
        if (_schema is not null)
        {
            using var connection = new NpgsqlConnection(PostgreSqlServer.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment on some systems; the temp folder is cleaned later.
            }
        }
    }
}

/// <summary>The PostgreSQL server of COMMUNITYFUNNEL_PG (CI sets it). Without it the PostgreSQL tests are skipped, except under CI=true, where they fail.</summary>
internal static class PostgreSqlServer
{
    public const string EnvironmentVariable = "COMMUNITYFUNNEL_PG";

    public static string? SkipReason =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{EnvironmentVariable} is not set: no PostgreSQL server for the sample host tests (eval \"$(bash .ci/postgres.sh env)\" after 'bash .ci/postgres.sh start').";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{EnvironmentVariable} is not set (CI=true: the PostgreSQL tests fail instead of being skipped).");
}

/// <summary>A fact that needs PostgreSQL: skipped with the reason when COMMUNITYFUNNEL_PG is not set (never under CI=true).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
