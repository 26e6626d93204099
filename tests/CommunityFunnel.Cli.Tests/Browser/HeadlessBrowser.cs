using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CommunityFunnel.Cli.Tests.Browser;

/// <summary>
/// Debian's headless Chromium, driven over the DevTools protocol (a WebSocket on loopback), for the tests of the HTML
/// the CLI writes (the draw verification page, the funnel report). It emulates a viewport of any width, a 390 px
/// phone included (headless windows cannot be narrower than 500 px), runs the page's scripts, evaluates expressions
/// in it and takes screenshots.
/// The browser is found through <c>COMMUNITYFUNNEL_CHROMIUM</c>, else /usr/bin/chromium; <c>bash .ci/chromium.sh</c>
/// installs it. Tests use <see cref="BrowserFactAttribute"/>: skipped where no browser is installed, except when
/// <c>COMMUNITYFUNNEL_REQUIRE_BROWSER=1</c> (as in CI), where they fail instead.
/// </summary>
internal sealed class HeadlessBrowser : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly DirectoryInfo profile;
    private readonly ClientWebSocket socket;
    private int nextId;

    private HeadlessBrowser(Process process, DirectoryInfo profile, ClientWebSocket socket)
    {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /// <summary>The browser's path, or null when none is installed.</summary>
    public static string? BinaryPath { get; } = Find();

    /// <summary>True when a missing browser must fail the browser tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_REQUIRE_BROWSER") == "1";

    /// <summary>Where browser tests keep their screenshots (test artifacts, kept after the run).</summary>
    public static string ArtifactsFolder
    {
        get
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Starts a headless browser with a profile of its own.</summary>
    public static async Task<HeadlessBrowser> StartAsync()
    {
        var binary = BinaryPath ?? throw new InvalidOperationException(
            "No headless Chromium: set COMMUNITYFUNNEL_CHROMIUM or run `bash .ci/chromium.sh`.");
        var profile = Directory.CreateTempSubdirectory("communityfunnel-chromium-");
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile.FullName,
            "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        string? endpoint = null;
        while (endpoint is null)
        {
            var line = await process.StandardError.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException("Chromium exited before it opened its DevTools endpoint.");
            const string Marker = "DevTools listening on ";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                endpoint = line[(at + Marker.Length)..].Trim();
            }
        }

        _ = process.StandardError.ReadToEndAsync();
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(endpoint), deadline.Token);
        return new HeadlessBrowser(process, profile, socket);
    }

    /// <summary>
    /// Opens <paramref name="file"/> in a new tab with a viewport of <paramref name="width"/> × <paramref name="height"/>
    /// CSS pixels (a phone's, with touch and mobile layout, when <paramref name="mobile"/>), and waits until the page has
    /// loaded and, when given, <paramref name="readyExpression"/> is true in it.
    /// <paramref name="query"/> (without <c>?</c>) is added to the file's address; <paramref name="initScript"/> runs
    /// before the page's own scripts; <paramref name="locale"/> sets the browser's language (<c>navigator.language</c>);
    /// <paramref name="cpuThrottlingRate"/> slows the page's CPU down that many times (4 for a phone-class CPU).
    /// </summary>
    public async Task<BrowserPage> OpenAsync(
        string file, int width = 1280, int height = 900, bool mobile = false, string? readyExpression = null,
        string? query = null, string? initScript = null, string? locale = null, double cpuThrottlingRate = 1)
    {
        var target = await SendAsync(null, "Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync(null, "Target.attachToTarget", new JsonObject
        {
            ["targetId"] = target["targetId"]!.GetValue<string>(),
            ["flatten"] = true,
        });
        var page = new BrowserPage(this, attached["sessionId"]!.GetValue<string>(), target["targetId"]!.GetValue<string>());
        await SendAsync(page.SessionId, "Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = mobile,
        });
        if (mobile)
        {
            await SendAsync(page.SessionId, "Emulation.setTouchEmulationEnabled", new JsonObject { ["enabled"] = true });
        }

        if (locale is not null)
        {
            await SendAsync(page.SessionId, "Emulation.setLocaleOverride", new JsonObject { ["locale"] = locale });
            await SendAsync(page.SessionId, "Emulation.setUserAgentOverride", new JsonObject
            {
                ["userAgent"] = (await SendAsync(null, "Browser.getVersion", new JsonObject()))["userAgent"]!.GetValue<string>(),
                ["acceptLanguage"] = locale,
            });
        }

        if (cpuThrottlingRate != 1)
        {
            await SendAsync(page.SessionId, "Emulation.setCPUThrottlingRate", new JsonObject { ["rate"] = cpuThrottlingRate });
        }

        if (initScript is not null)
        {
            await SendAsync(page.SessionId, "Page.enable", new JsonObject());
            await SendAsync(page.SessionId, "Page.addScriptToEvaluateOnNewDocument", new JsonObject { ["source"] = initScript });
        }

        var url = new Uri(Path.GetFullPath(file)).AbsoluteUri + (query is null ? string.Empty : "?" + query);
        await SendAsync(page.SessionId, "Page.navigate", new JsonObject { ["url"] = url });
        var ready = readyExpression is null
            ? "document.readyState === 'complete'"
            : $"document.readyState === 'complete' && !!({readyExpression})";
        var until = DateTime.UtcNow + Timeout;
        while (!(await page.EvaluateAsync(ready)).GetValue<bool>())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{file} was not ready ({ready}) within {Timeout.TotalSeconds} s.");
            }

            await Task.Delay(25);
        }

        return page;
    }

    /// <summary>Sends one DevTools command and returns its result; protocol errors throw.</summary>
    internal async Task<JsonObject> SendAsync(string? sessionId, string method, JsonObject parameters)
    {
        var id = ++nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        using var deadline = new CancellationTokenSource(Timeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await socket.ReceiveAsync(buffer, deadline.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("Chromium closed the DevTools connection.");
                }

                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);

            var reply = JsonNode.Parse(received.ToArray())!.AsObject();
            if (reply["id"]?.GetValue<int>() != id)
            {
                continue; // an event, or the answer to an earlier command: not awaited here
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
            }

            return reply["result"]?.AsObject() ?? new JsonObject();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await SendAsync(null, "Browser.close", new JsonObject());
            }
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            // The browser is going away either way.
        }

        socket.Dispose();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file; the temp folder is left for the OS to clean.
        }
    }

    private static string? Find()
    {
        foreach (var candidate in new[]
        {
            Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
        })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>One tab of a <see cref="HeadlessBrowser"/>.</summary>
internal sealed class BrowserPage(HeadlessBrowser browser, string sessionId, string targetId)
{
    internal string SessionId { get; } = sessionId;

    /// <summary>Closes the tab (a browser kept for a whole test class would otherwise gather them).</summary>
    public async Task CloseAsync() =>
        await browser.SendAsync(null, "Target.closeTarget", new JsonObject { ["targetId"] = targetId });

    /// <summary>
    /// Evaluates a JavaScript expression in the page (awaiting it when it is a promise) and returns its value as JSON;
    /// an exception thrown in the page throws here with its text.
    /// </summary>
    public async Task<JsonNode> EvaluateAsync(string expression)
    {
        var result = await browser.SendAsync(SessionId, "Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"The page threw on `{expression}`: {exception.ToJsonString()}");
        }

        return result["result"]?["value"]?.DeepClone() ?? JsonValue.Create((string?)null) ?? (JsonNode)new JsonObject();
    }

    /// <summary>Evaluates an expression whose value is a string (text, serialized DOM).</summary>
    public async Task<string> TextAsync(string expression) => (await EvaluateAsync(expression)).GetValue<string>();

    /// <summary>True when the page's content is no wider than its viewport (nothing to scroll sideways).</summary>
    public async Task<bool> FitsWidthAsync() =>
        (await EvaluateAsync("document.documentElement.scrollWidth <= document.documentElement.clientWidth")).GetValue<bool>();

    /// <summary>Writes a PNG of the whole page (not only the viewport) to <paramref name="pngFile"/>.</summary>
    public async Task ScreenshotAsync(string pngFile)
    {
        var shot = await browser.SendAsync(SessionId, "Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
        });
        await File.WriteAllBytesAsync(pngFile, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }
}

/// <summary>
/// A fact that needs headless Chromium: skipped where none is installed, unless
/// <c>COMMUNITYFUNNEL_REQUIRE_BROWSER=1</c>, where it runs and fails on the missing browser.
/// </summary>
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessBrowser.BinaryPath is null && !HeadlessBrowser.Required)
        {
            Skip = "No headless Chromium here (bash .ci/chromium.sh installs it; CI requires it).";
        }
    }
}

/// <summary>A theory that needs headless Chromium; see <see cref="BrowserFactAttribute"/>.</summary>
internal sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (HeadlessBrowser.BinaryPath is null && !HeadlessBrowser.Required)
        {
            Skip = "No headless Chromium here (bash .ci/chromium.sh installs it; CI requires it).";
        }
    }
}
