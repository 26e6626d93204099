using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Storage.Sqlite;

/// <summary>Checks <see cref="SqliteStoreOptions"/> and reports every bad field in one message.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(SqliteStoreOptions.ConnectionString)} must name a database file, e.g. 'Data Source=community.db'.");
        }
        else
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
                {
                    failures.Add($"{nameof(SqliteStoreOptions.ConnectionString)} '{options.ConnectionString}' must name a database file (Data Source=PATH), not an in-memory database.");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"{nameof(SqliteStoreOptions.ConnectionString)} '{options.ConnectionString}' is not a valid SQLite connection string: {e.Message}");
            }
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add($"{nameof(SqliteStoreOptions.Synchronous)} must be Normal or Full; it is {(int)options.Synchronous}.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{nameof(SqliteStoreOptions.BusyTimeout)} must be positive and below 24 days; it is {options.BusyTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
