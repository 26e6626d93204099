using Microsoft.Extensions.Options;
using Npgsql;

namespace CommunityFunnel.Storage.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlStoreOptions"/> and reports every bad field in one message.</summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgreSqlStoreOptions.ConnectionString)} must name a server, e.g. 'Host=localhost;Database=community;Username=app'.");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add($"{nameof(PostgreSqlStoreOptions.ConnectionString)} must name a Host.");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"{nameof(PostgreSqlStoreOptions.ConnectionString)} is not a valid Npgsql connection string: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
