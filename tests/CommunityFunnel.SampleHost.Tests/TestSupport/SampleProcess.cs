using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;

namespace CommunityFunnel.SampleHost.Tests.TestSupport;

/// <summary>
/// The built sample host run as its own OS process (<c>dotnet CommunityFunnel.SampleHost.dll --urls ...</c>) on a free
/// loopback port, its console log (JSON lines) kept, until it is killed or disposed.
/// </summary>
internal sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SampleProcess(Process process, string instanceId, Uri address)
    {
        _process = process;
        InstanceId = instanceId;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The xunit collection of the tests that run sample processes: one such test at a time, so that two of them do not share the 2 cores.</summary>
    public const string Collection = "sample processes";

    public string InstanceId { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The repository's root folder (where this test project was built from).</summary>
    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>Where the test's configuration built the sample.</summary>
    public static string Dll => Path.Combine(RepoRoot, "samples", "CommunityFunnel.SampleHost", "bin", Metadata("Configuration"), "net10.0", "CommunityFunnel.SampleHost.dll");

    private static string Metadata(string key) =>
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static async Task<SampleProcess> StartAsync(string instanceId, string connectionString, params string[] settings)
    {
        Assert.True(File.Exists(Dll), "the sample is built: " + Dll);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])
        [
            Dll,
            "--urls", address.ToString().TrimEnd('/'),
            "--ConnectionStrings:PostgreSql=" + connectionString,
            "--CommunityFunnel:Outbox:InstanceId=" + instanceId,
            "--CommunityFunnel:Runtime:RunScheduler=false",
            "--Logging:Console:FormatterName=json",
            "--Logging:LogLevel:Default=Information",
            "--Logging:LogLevel:Microsoft=Warning",
            "--Logging:LogLevel:CommunityFunnel.Hosting=Debug",   // EventApplied (17001) says which instance applied which event
            .. settings,
        ])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var sample = new SampleProcess(Process.Start(info)!, instanceId, address);
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(sample.HasExited, $"instance {instanceId} exited at start:\n{string.Join('\n', sample._output)}");
            try
            {
                using var health = await sample.Http.GetAsync("health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return sample;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < giveUp, $"instance {instanceId} did not answer /health within 60 s:\n{string.Join('\n', sample._output)}");
            await Task.Delay(100);
        }
    }

    /// <summary>The ids the sample's action handler logged (event id 1701), one per delivery.</summary>
    public IReadOnlyList<string> DeliveredIds() =>
        [.. Logged(LoggingActionHandler.DeliveredEventId).Select(state => state.GetProperty("ActionId").GetString()!)];

    /// <summary>The events this instance applied (the runtime's EventApplied, 17001): event id, group, member.</summary>
    public IReadOnlyList<(string Event, string Group, string Member)> Applied() =>
        [.. Logged(17001).Select(state => (state.GetProperty("EventId").GetString()!, state.GetProperty("Group").GetString()!, state.GetProperty("Member").GetString()!))];

    internal List<JsonElement> Logged(int eventId)
    {
        var states = new List<JsonElement>();
        foreach (var line in _output)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == eventId)
            {
                states.Add(json.RootElement.GetProperty("State").Clone());
            }
        }

        return states;
    }

    public string Output => string.Join('\n', _output);

    /// <summary>kill -9: <see cref="Process.Kill()"/> sends SIGKILL on Unix; nothing of the process runs after it.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
