using CommunityFunnel.Lottery;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IDrawSecretStore"/> on SQL: one row per draw (the primary key refuses a second seed), never updated.
/// The seed is kept as it is: protect the database (or plug in a vault) if its readers must not see seeds early.
/// </summary>
internal sealed class SqlDrawSecretStore(SqlDatabase database) : IDrawSecretStore
{
    public async Task StoreSeedAsync(string drawId, ReadOnlyMemory<byte> serverSeed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var inserted = await Sql.ExecuteAsync(
                connection,
                null,
                "INSERT INTO cf_draw_secrets (draw_id, seed) VALUES (@id, @s) ON CONFLICT (draw_id) DO NOTHING",
                cancellationToken,
                ("id", drawId),
                ("s", serverSeed.ToArray())).ConfigureAwait(false);
            if (inserted != 1)
            {
                throw new InvalidOperationException($"draw '{drawId}' already has a server seed; a seed is never replaced");
            }
        }
    }

    public async Task<byte[]?> GetSeedAsync(string drawId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, "SELECT seed FROM cf_draw_secrets WHERE draw_id = @id", ("id", drawId));
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
            }
        }
    }
}
