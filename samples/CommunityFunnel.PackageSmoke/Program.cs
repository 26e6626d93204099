using CommunityFunnel;
using CommunityFunnel.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// Uses the packed CommunityFunnel package the way a host would: register with DI, resolve, run.
var services = new ServiceCollection();
services.AddCommunityFunnel(o => o.TimeZoneId = "Asia/Shanghai").UseInMemoryStores();
using var provider = services.BuildServiceProvider(validateScopes: true);
var options = provider.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value;

using var buffer = new MemoryStream();
using (var writer = new EventLogWriter(buffer, leaveOpen: true))
{
    writer.Write(new CommunityEvent("e-1", EventType.Joined, "g-1", "m-1", DateTimeOffset.Parse("2026-11-01T20:00:00+08:00"), channel: "poster"));
}

buffer.Position = 0;
var events = new EventLogReader().Read(buffer).ToList();
if (events.Count != 1 || events[0].Channel != "poster")
{
    Console.Error.WriteLine("smoke: the event did not round-trip");
    return 1;
}

Console.WriteLine($"smoke: CommunityFunnel {typeof(CommunityEvent).Assembly.GetName().Version} from the package works (time zone {options.TimeZoneId}).");
return 0;
