using CommunityFunnel.Tests.TestSupport;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.DependencyInjection;

public sealed class AddCommunityFunnelTests
{
    [Fact]
    public void AddCommunityFunnel_ThrowsForNullServices()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddCommunityFunnel()).ParamName);
    }

    [Fact]
    public void AddCommunityFunnel_ReturnsABuilder_OverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddCommunityFunnel().UseInMemoryStores();

        Assert.Same(services, builder.Services);
    }

    [Fact]
    public void AddCommunityFunnel_RegistersTheOptionsValidator_AndStartupValidation()
    {
        var services = new ServiceCollection();

        services.AddCommunityFunnel().UseInMemoryStores();

        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<CommunityFunnelOptions>)
            && d.ImplementationType?.Name == "CommunityFunnelOptionsValidator" && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType.Name == "IStartupValidator");
    }

    [Fact]
    public void CallingTwice_IsHarmless_NoDescriptorIsDoubled()
    {
        var once = new ServiceCollection();
        once.AddCommunityFunnel().UseInMemoryStores();
        var twice = new ServiceCollection();
        twice.AddCommunityFunnel().UseInMemoryStores();
        twice.AddCommunityFunnel().UseInMemoryStores();

        static string[] Describe(IServiceCollection s) => s
            .Where(d => d.ServiceType.Namespace?.StartsWith("CommunityFunnel", StringComparison.Ordinal) == true
                || d.ServiceType.IsGenericType && d.ServiceType.GenericTypeArguments.Any(t => t.Namespace?.StartsWith("CommunityFunnel", StringComparison.Ordinal) == true))
            .Select(d => $"{d.ServiceType} {d.ImplementationType} {d.Lifetime}")
            .ToArray();

        Assert.Equal(Describe(once), Describe(twice));
    }

    [Fact]
    public void Options_AreConfigured_AndDefaultsAreSensible()
    {
        using var provider = new ServiceCollection()
            .AddCommunityFunnel(o => o.TimeZoneId = "Europe/Berlin").UseInMemoryStores().Services
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value;

        Assert.Equal("Europe/Berlin", options.TimeZoneId);
        Assert.Equal(TimeSpan.FromHours(24), options.ActivationWindow);
        Assert.Equal("Asia/Shanghai", new CommunityFunnelOptions().TimeZoneId);
    }

    [Fact]
    public void BadOptions_FailValidation_NamingEveryBadField()
    {
        using var provider = new ServiceCollection()
            .AddCommunityFunnel(o =>
            {
                o.TimeZoneId = "Mars/Olympus_Mons";
                o.ActivationWindow = TimeSpan.Zero;
            }).UseInMemoryStores().Services
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains("TimeZoneId 'Mars/Olympus_Mons'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ActivationWindow must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHostsTimeProvider_IsUsed_ElseTheSystemClock()
    {
        var fake = new FakeTimeProvider();
        using var withFake = new ServiceCollection().AddSingleton<TimeProvider>(fake).AddCommunityFunnel().UseInMemoryStores().Services.BuildServiceProvider();
        using var without = new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services.BuildServiceProvider();

        Assert.Same(fake, withFake.GetTimeProvider());
        Assert.Same(TimeProvider.System, without.GetTimeProvider());
        Assert.DoesNotContain(new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void EveryDefault_YieldsToTheHostsOwnRegistration()
    {
        var defaults = new ServiceCollection().AddCommunityFunnel().UseInMemoryStores().Services
            .Where(d => d.ServiceType.Namespace?.StartsWith("CommunityFunnel", StringComparison.Ordinal) == true)
            .GroupBy(d => d.ServiceType)
            .Where(g => g.Count() == 1)
            .Select(g => g.Key)
            .ToList();

        foreach (var serviceType in defaults)
        {
            IServiceCollection services = new ServiceCollection();
            var hostsOwn = ServiceDescriptor.Singleton(serviceType, _ => new object());
            services.Add(hostsOwn);

            services.AddCommunityFunnel().UseInMemoryStores();

            Assert.Same(hostsOwn, Assert.Single(services, d => d.ServiceType == serviceType));
        }
    }

    public static TheoryData<Type> ServicesThatNeedStores => new() { typeof(IMemberLifecycle), typeof(IRewardEngine), typeof(IDrawService), typeof(ICouponService) };

    [Fact]
    public void AHostThatChoosesNoStore_FailsAtStart_NamingEveryMissingStoreAndWhatToAdd()
    {
        using var provider = new ServiceCollection().AddCommunityFunnel().Services.BuildServiceProvider();

        // What a generic host runs when it starts (ValidateOnStart).
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        foreach (var contract in new[] { nameof(IMemberStore), nameof(IRewardLedger), nameof(IMemberDirectory), nameof(IDrawStore), nameof(IDrawSecretStore), nameof(ICouponStore) })
        {
            Assert.Contains(contract, error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("UseInMemoryStores()", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseSqliteStores(", error.Message, StringComparison.Ordinal);
        Assert.Contains("UsePostgreSqlStores(", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ServicesThatNeedStores))]
    public void AServiceThatNeedsAStore_FailsWhenResolved_NamingTheStore(Type service)
    {
        using var provider = new ServiceCollection().AddCommunityFunnel().Services.BuildServiceProvider();

        // InvalidOperationException from the store lookup, or the options' validation when the service reads them first.
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService(service));

        Assert.True(error is InvalidOperationException or OptionsValidationException, error.GetType().Name);
        Assert.Contains("CommunityFunnel has no store for ", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseInMemoryStores()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneStoreMissing_IsTheOnlyOneNamed_AndChoosingItLetsTheHostStart()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMemberStore>(new InMemoryMemberStore());
        services.AddCommunityFunnel().UseInMemoryStores();
        services.RemoveAll<IDrawSecretStore>();
        using (var missingOne = services.BuildServiceProvider())
        {
            var error = Assert.Throws<OptionsValidationException>(() => missingOne.GetRequiredService<IStartupValidator>().Validate());
            Assert.Contains(nameof(IDrawSecretStore), error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(IMemberStore), error.Message, StringComparison.Ordinal);
        }

        services.AddCommunityFunnel().UseInMemoryStores();
        using var complete = services.BuildServiceProvider();
        complete.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(complete.GetRequiredService<IDrawService>());
    }

    [Fact]
    public void UseInMemoryStores_KeepsAStoreTheHostChose_BeforeOrAfter()
    {
        var mine = new InMemoryMemberStore();
        var before = new ServiceCollection();
        before.AddSingleton<IMemberStore>(mine);
        before.AddCommunityFunnel().UseInMemoryStores();
        var after = new ServiceCollection();
        after.AddCommunityFunnel().UseInMemoryStores().UseMemberStore(mine);

        foreach (var services in new[] { before, after })
        {
            Assert.Same(mine, Assert.Single(services, d => d.ServiceType == typeof(IMemberStore)).ImplementationInstance);
        }
    }
}
