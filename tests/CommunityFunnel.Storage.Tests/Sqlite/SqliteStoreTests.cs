using System.Diagnostics;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Storage.Tests.Sqlite;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _path = SqliteFiles.NewPath();

    public void Dispose() => SqliteFiles.Delete(_path);

    [Fact]
    public void UseSqliteStores_ReplacesEveryInMemoryDefault_AndAHostMayStillReplaceOne()
    {
        var services = new ServiceCollection();
        var builder = services.AddCommunityFunnel().UseSqliteStores($"Data Source={_path}", o => o.Synchronous = SqliteSynchronous.Normal);
        foreach (var type in new[] { typeof(IMemberStore), typeof(IRewardLedger), typeof(IMemberDirectory), typeof(IDrawStore), typeof(IDrawSecretStore) })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == type);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
            Assert.NotNull(descriptor.ImplementationFactory);
        }

        var mine = new RecordingMemberStore();
        builder.UseMemberStore(mine);
        using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<IMemberStore>());
        Assert.Equal("SqlRewardLedger", provider.GetRequiredService<IRewardLedger>().GetType().Name);
        Assert.Equal("SqlDrawStore", provider.GetRequiredService<IDrawStore>().GetType().Name);
        Assert.Equal("SqlDrawSecretStore", provider.GetRequiredService<IDrawSecretStore>().GetType().Name);
        Assert.Equal(SqliteSynchronous.Normal, provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Synchronous);
    }

    [Fact]
    public void BadOptions_AreReportedTogether_WhenTheStoresAreFirstUsed()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores(" ", o => o.BusyTimeout = TimeSpan.FromSeconds(-1));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRewardLedger>());
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);

        var memory = new ServiceCollection();
        memory.AddCommunityFunnel().UseSqliteStores("Data Source=:memory:");
        using var memoryProvider = memory.BuildServiceProvider();
        Assert.Contains("in-memory", Assert.Throws<OptionsValidationException>(() => memoryProvider.GetRequiredService<IMemberStore>()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFileIsInWalMode()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={_path}");
        using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IMemberStore>().ListGroupAsync("g", CancellationToken.None);
        }

        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task AChildKilledMidBatch_LosesNoAcknowledgedGrant_AndGrantsNoneTwice()
    {
        var connectionString = $"Data Source={_path}";
        const int Count = 1_000;

        // 1. The child grants and acknowledges; it is killed (SIGKILL) after some acknowledgements.
        var (acked, finished) = RunChild(connectionString, Count, killAfterAcks: 60);
        Assert.False(finished, "the child was killed before the end of its batch");
        Assert.True(acked.Count >= 60);

        IReadOnlyList<RewardLedgerEntry> afterCrash;
        using (var provider = Provider(connectionString))
        {
            var ledger = provider.GetRequiredService<IRewardLedger>();
            afterCrash = await ledger.GetEntriesAsync(CancellationToken.None);
            var keys = afterCrash.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            Assert.All(acked, key => Assert.Contains(key, keys));
            Assert.Equal(afterCrash.Count, keys.Count);
            Assert.Equal(afterCrash.Count, await ledger.GetCounterAsync("budget|points", CancellationToken.None));
            // The child grants in order: what is there is exactly its first n grants, n >= the acknowledged ones.
            Assert.Equal(Enumerable.Range(0, afterCrash.Count).Select(i => GrantChild.Grant(i).Key), afterCrash.Select(e => e.Key));
            Assert.True(afterCrash.Count < Count, "killed mid-batch");
        }

        // 2. A new child replays the whole batch from the start: what is there is a duplicate, the rest is granted.
        var (secondAcks, secondFinished) = RunChild(connectionString, Count, killAfterAcks: null);
        Assert.True(secondFinished);
        Assert.Equal(Count - afterCrash.Count, secondAcks.Count);
        Assert.Empty(secondAcks.Intersect(afterCrash.Select(e => e.Key)));
        using (var provider = Provider(connectionString))
        {
            var ledger = provider.GetRequiredService<IRewardLedger>();
            var all = await ledger.GetEntriesAsync(CancellationToken.None);
            Assert.Equal(Count, all.Count);
            Assert.Equal(Count, all.Select(e => e.Key).Distinct().Count());
            Assert.Equal(Count, await ledger.GetCounterAsync("budget|points", CancellationToken.None));
        }
    }

    private static ServiceProvider Provider(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores(connectionString);
        return services.BuildServiceProvider();
    }

    private static (List<string> Acked, bool Finished) RunChild(string connectionString, int count, int? killAfterAcks)
    {
        var assembly = typeof(GrantChild).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", ["exec", assembly, "grant-child", connectionString, count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var acked = new List<string>();
        var finished = false;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line == "done")
            {
                finished = true;
                break;
            }

            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                acked.Add(line[4..]);
                if (acked.Count == killAfterAcks)
                {
                    child.Kill(); // SIGKILL on Unix: no finally blocks, no flush, no clean close
                    break;
                }
            }
        }

        Assert.True(child.WaitForExit(60_000), "the child did not exit");
        if (killAfterAcks is null)
        {
            Assert.True(child.ExitCode == 0, $"the child failed: {stderr.Result}");
        }

        return (acked, finished);
    }

    private sealed class RecordingMemberStore : IMemberStore
    {
        public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken) => Task.FromResult<MemberRecord?>(null);

        public Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MemberRecord>>([]);

        public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MemberTransition>>([]);
    }
}
