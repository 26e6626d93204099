using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CommunityFunnel.Storage.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server of the tests: the one COMMUNITYFUNNEL_PG names, else a throwaway cluster this process
/// starts with .ci/postgres.sh (and stops when it exits). Without one: skipped locally, failed when CI=true.
/// </summary>
internal static class PostgreSqlServer
{
    public const string EnvironmentVariable = "COMMUNITYFUNNEL_PG";

    private static readonly Lazy<(string? ConnectionString, string? Problem)> State = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the PostgreSQL tests are skipped, or null when they run (always null in CI: there they fail instead).</summary>
    public static string? SkipReason => State.Value.Problem is { } problem && !InCi ? problem : null;

    public static string ConnectionString => State.Value.ConnectionString
        ?? throw new InvalidOperationException($"No PostgreSQL server for the tests (CI=true, so they fail instead of being skipped): {State.Value.Problem}");

    /// <summary>A fresh schema for one test, and the connection string that works in it.</summary>
    public static string CreateSchema(out string schema)
    {
        schema = "t_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema, MaxPoolSize = 20 }.ToString();
    }

    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        command.ExecuteNonQuery();
    }

    private static (string?, string?) Start()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }

        var script = FindScript();
        if (script is null)
        {
            return (null, $"{EnvironmentVariable} is not set and .ci/postgres.sh was not found above {AppContext.BaseDirectory}");
        }

        var state = Path.Combine(Path.GetTempPath(), $"communityfunnel-pg-tests-{Environment.ProcessId}");
        var (code, output) = RunScript(script, state, "start");
        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (code != 0 || connectionString is null || !connectionString.StartsWith("Host=", StringComparison.Ordinal))
        {
            return (null, $"{EnvironmentVariable} is not set and 'bash .ci/postgres.sh start' could not start a local server (exit {code}): {output.Trim()}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScript(script, state, "stop");
        return (connectionString, null);
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".ci", "postgres.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int Code, string Output) RunScript(string script, string state, string verb)
    {
        try
        {
            var info = new ProcessStartInfo("bash", [script, verb])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["COMMUNITYFUNNEL_PG_STATE"] = state;
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + (process.ExitCode == 0 ? string.Empty : stderr.Result));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
