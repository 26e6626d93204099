using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityFunnel.Events;
using CommunityFunnel.SampleHost;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.SampleHost.Tests.TestSupport;

/// <summary>
/// The sample host started in-process on Kestrel at http://127.0.0.1:0 (a free port) through
/// <see cref="SampleHostApp.Build"/>, with a fake clock and a log capture, driven with a real <see cref="HttpClient"/>.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    /// <summary>The JSON the host writes: web defaults, enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private RunningHost(WebApplication app, HttpClient http, FakeTimeProvider clock, LogCapture logs)
    {
        App = app;
        Http = http;
        Clock = clock;
        Logs = logs;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public FakeTimeProvider Clock { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the host on the store <paramref name="store"/> names (SQLite file or PostgreSQL connection string).</summary>
    public static Task<RunningHost> StartAsync(TestStore store, FakeTimeProvider clock, params string[] settings) =>
        StartAsync(store, clock, clock, settings);

    /// <summary>As the other overload, with <paramref name="registered"/> as the host's clock (a wrapper over <paramref name="clock"/>).</summary>
    public static async Task<RunningHost> StartAsync(TestStore store, FakeTimeProvider clock, TimeProvider registered, params string[] settings)
    {
        var logs = new LogCapture();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--CommunityFunnel:TimeZone=Asia/Shanghai",
            "--CommunityFunnel:Runtime:RunScheduler=false",
            "--CommunityFunnel:Outbox:PollPeriod=00:00:00.050",
            .. store.Arguments,
            .. settings,
        ];
        var app = SampleHostApp.Build(args, b =>
        {
            b.Services.AddSingleton(registered);
            b.Logging.ClearProviders();
            b.Logging.AddProvider(logs);
            b.Logging.SetMinimumLevel(LogLevel.Information);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(5) };
        return new RunningHost(app, http, clock, logs);
    }

    /// <summary>Posts <paramref name="body"/> to <c>/events</c> as JSON Lines.</summary>
    public async Task<HttpResponseMessage> PostEventsAsync(string body, string contentType = "application/x-ndjson")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync("events", content);
    }

    /// <summary>Posts <paramref name="events"/> in batches of <paramref name="batch"/> lines and sums the answers.</summary>
    public async Task<(int Applied, int Duplicates, int Actions)> PostAllAsync(IReadOnlyList<CommunityEvent> events, int batch = 400)
    {
        var (applied, duplicates, actions) = (0, 0, 0);
        for (var i = 0; i < events.Count; i += batch)
        {
            using var response = await PostEventsAsync(Lines(events.Skip(i).Take(batch)));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var answer = JsonSerializer.Deserialize<EventsAccepted>(text, Json)!;
            applied += answer.Applied;
            duplicates += answer.Duplicates;
            actions += answer.Actions;
        }

        return (applied, duplicates, actions);
    }

    public static string Lines(IEnumerable<CommunityEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var writer = new EventLogWriter(buffer, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Moves the fake clock on by the dispatcher's poll period until <paramref name="done"/> holds (the dispatcher
    /// waits on the fake clock); fails after two minutes of real time.
    /// </summary>
    public async Task PollUntilAsync(Func<bool> done, string what)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < giveUp, "Timed out waiting for " + what);
            Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
