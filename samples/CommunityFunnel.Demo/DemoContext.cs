using CommunityFunnel.Events;

namespace CommunityFunnel.Demo;

/// <summary>What every part of the demo gets: the simulated month, the services, and where to write.</summary>
internal sealed record DemoContext(
    IReadOnlyList<CommunityEvent> Events,
    string EventLogPath,
    IServiceProvider Services,
    DateTimeOffset AsOf,
    string OutputDirectory,
    TextWriter Out);
