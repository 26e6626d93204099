using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Activation;

public sealed class ActivationServiceRegistrationTests
{
    [Fact]
    public void Defaults_AreRegistered_AsSingletons_WithStartupValidation()
    {
        var services = new ServiceCollection();

        services.AddCommunityFunnel().UseInMemoryStores();

        Assert.Contains(services, d => d.ServiceType == typeof(IActivationReporter) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<ActivationOptions>)
            && d.ImplementationType == typeof(ActivationOptionsValidator) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Single(services, d => d.ServiceType == typeof(IActivationReporter));
    }

    [Fact]
    public void Reporter_UsesTheHostsOptions_AndTimeProvider()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        services.AddCommunityFunnel(o =>
        {
            o.ActivationWindow = TimeSpan.FromHours(48);
            o.TimeZoneId = "Europe/Berlin";
        }).UseInMemoryStores().ConfigureActivation(a => a.Rejoin = RejoinPolicy.Every);
        using var provider = services.BuildServiceProvider();

        var reporter = provider.GetRequiredService<IActivationReporter>();
        var query = reporter.CreateQuery();

        Assert.Equal(clock.GetUtcNow(), query.AsOf);
        Assert.Equal(TimeSpan.FromHours(48), query.Window);
        Assert.Equal("Europe/Berlin", query.TimeZoneId);
        Assert.Equal(RejoinPolicy.Every, query.Rejoin);
        Assert.Equal(TimeSpan.FromHours(48), reporter.CreateStreaming().Window);
        var events = new[] { new CommunityEvent("j", EventType.Joined, "g", "m", clock.GetUtcNow().AddDays(-3)) };
        Assert.Equal(1, reporter.Calculate(events, query).Eligible);
        Assert.Equal(1, reporter.CalculateFunnel(events, reporter.CreateFunnelQuery(query.AsOf)).Total.Joined);
    }

    [Fact]
    public void BadActivationOptions_FailAtStart_NamingEveryField()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureActivation(a =>
        {
            a.Rejoin = (RejoinPolicy)7;
            a.QualifyingTypes.Clear();
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ActivationOptions>>().Value);

        Assert.Contains("Rejoin", error.Message, StringComparison.Ordinal);
        Assert.Contains("QualifyingTypes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_CanReplaceTheReporter_BeforeOrAfter()
    {
        var after = new ServiceCollection();
        after.AddCommunityFunnel().UseInMemoryStores().UseActivationReporter<HostReporter>();
        var before = new ServiceCollection();
        before.AddSingleton<IActivationReporter, HostReporter>();
        before.AddCommunityFunnel().UseInMemoryStores();

        foreach (var services in new[] { after, before })
        {
            using var provider = services.BuildServiceProvider();
            Assert.IsType<HostReporter>(provider.GetRequiredService<IActivationReporter>());
            Assert.Single(services, d => d.ServiceType == typeof(IActivationReporter));
        }
    }

    private sealed class HostReporter : IActivationReporter
    {
        public ActivationQuery CreateQuery(DateTimeOffset asOf) => new(asOf);

        public ActivationQuery CreateQuery() => throw new NotSupportedException();

        public FunnelQuery CreateFunnelQuery(DateTimeOffset asOf) => new(asOf);

        public ActivationReport Calculate(IEnumerable<CommunityEvent> events, ActivationQuery query) => throw new NotSupportedException();

        public FunnelReport CalculateFunnel(IEnumerable<CommunityEvent> events, FunnelQuery query) => throw new NotSupportedException();

        public StreamingActivationCalculator CreateStreaming() => new();
    }
}
