using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Rewards;

public sealed class RewardsServiceRegistrationTests
{
    [Fact]
    public void Defaults_AreRegisteredAsSingletons_WithTryAdd()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        services.AddCommunityFunnel().UseInMemoryStores();

        Assert.Equal(typeof(InMemoryRewardLedger), Assert.Single(services, d => d.ServiceType == typeof(IRewardLedger)).ImplementationType);
        Assert.Equal(typeof(InMemoryMemberDirectory), Assert.Single(services, d => d.ServiceType == typeof(IMemberDirectory)).ImplementationType);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IRewardEngine)).Lifetime);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<RewardsOptions>));
    }

    [Fact]
    public async Task AHost_CanReplaceTheLedgerAndTheMemberDirectory()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores()
            .UseRewardLedger<CountingLedger>()
            .UseMemberDirectory<EveryoneIsStaff>()
            .AddRewardRules(RewardScenario.Rules(RewardScenario.Rule("c", new RewardTrigger { Kind = RewardTriggerKind.Checkin })));
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var engine = provider.GetRequiredService<IRewardEngine>();
        await engine.ProcessAsync(new CommunityEvent("e1", EventType.Checkin, "g", "m", DateTimeOffset.UnixEpoch, task: "t"));

        Assert.IsType<CountingLedger>(provider.GetRequiredService<IRewardLedger>());
        Assert.Equal(1, engine.Statistics.Ineligible); // the host's directory says staff
        Assert.Equal(0, ((CountingLedger)provider.GetRequiredService<IRewardLedger>()).Appends);
    }

    [Fact]
    public async Task RulesFromOptions_RunInTheConfiguredTimeZone()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel(o => o.TimeZoneId = "America/New_York").UseInMemoryStores().AddRewardRules(RewardPresets.SeedArticle());
        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IRewardEngine>();

        await engine.ProcessAsync(new CommunityEvent("j", EventType.Joined, "g", "m", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        await engine.ProcessAsync(new CommunityEvent("c", EventType.Checkin, "g", "m", new DateTimeOffset(2026, 11, 9, 3, 0, 0, TimeSpan.Zero), task: "t"));

        // 9 Nov 03:00 UTC is still Sunday 8 Nov in New York: the week of Monday 2 Nov.
        var grant = Assert.Single(await provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None));
        Assert.Equal("weekly-2026-11-02", grant.Rewards[0].Draw);
    }

    [Fact]
    public void BadRules_FailAtStart_NamingEveryBadField()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().AddRewardRules(o =>
        {
            o.Rules.Add(new RewardRule { Id = "x", Trigger = new RewardTrigger { Kind = RewardTriggerKind.Streak } });
            o.Budgets.Add(new RewardBudget { Id = "b", Limit = -5 });
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RewardsOptions>>().Value);
        Assert.Contains("rules[x].trigger.count", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules[x].rewards: must list at least one reward", error.Message, StringComparison.Ordinal);
        Assert.Contains("budgets[b].limit: must not be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRules_IsValid_AndTheEngineGrantsNothing()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<IRewardEngine>();
        Assert.Equal(0, await engine.ProcessAsync(new CommunityEvent("c", EventType.Checkin, "g", "m", DateTimeOffset.UnixEpoch, task: "t")));
    }

    private sealed class CountingLedger : IRewardLedger
    {
        private readonly InMemoryRewardLedger _inner = new();

        public int Appends { get; private set; }

        public Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
        {
            Appends++;
            return _inner.TryAppendAsync(grant, cancellationToken);
        }

        public Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken) =>
            _inner.TryReverseAsync(grantKey, at, eventId, cancellationToken);

        public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken) => _inner.GetCounterAsync(counterKey, cancellationToken);

        public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken) => _inner.GetEntriesAsync(cancellationToken);
    }

    private sealed class EveryoneIsStaff : IMemberDirectory
    {
        public Task ObserveAsync(CommunityEvent communityEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<MemberFacts?> FindAsync(string member, CancellationToken cancellationToken) =>
            Task.FromResult<MemberFacts?>(new(MembershipState.InGroup, null, null, MemberRole.Staff));
    }
}
