namespace CommunityFunnel.Storage.PostgreSql;

/// <summary>Settings of the PostgreSQL stores (validated when the host starts).</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=community;Username=app;Password=…</c>. Add
    /// <c>Search Path=SCHEMA</c> to keep the tables in a schema other than the user's default.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;
}
