using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
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

        var builder = services.AddCommunityFunnel();

        Assert.Same(services, builder.Services);
    }

    [Fact]
    public void AddCommunityFunnel_RegistersTheOptionsValidator_AndStartupValidation()
    {
        var services = new ServiceCollection();

        services.AddCommunityFunnel();

        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<CommunityFunnelOptions>)
            && d.ImplementationType?.Name == "CommunityFunnelOptionsValidator" && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType.Name == "IStartupValidator");
    }

    [Fact]
    public void CallingTwice_IsHarmless_NoDescriptorIsDoubled()
    {
        var once = new ServiceCollection();
        once.AddCommunityFunnel();
        var twice = new ServiceCollection();
        twice.AddCommunityFunnel();
        twice.AddCommunityFunnel();

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
            .AddCommunityFunnel(o => o.TimeZoneId = "Europe/Berlin").Services
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
            }).Services
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
        using var withFake = new ServiceCollection().AddSingleton<TimeProvider>(fake).AddCommunityFunnel().Services.BuildServiceProvider();
        using var without = new ServiceCollection().AddCommunityFunnel().Services.BuildServiceProvider();

        Assert.Same(fake, withFake.GetTimeProvider());
        Assert.Same(TimeProvider.System, without.GetTimeProvider());
        Assert.DoesNotContain(new ServiceCollection().AddCommunityFunnel().Services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void EveryDefault_YieldsToTheHostsOwnRegistration()
    {
        var defaults = new ServiceCollection().AddCommunityFunnel().Services
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

            services.AddCommunityFunnel();

            Assert.Same(hostsOwn, Assert.Single(services, d => d.ServiceType == serviceType));
        }
    }
}
