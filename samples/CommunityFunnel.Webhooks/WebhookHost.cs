using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Discord;
using CommunityFunnel.Events;
using CommunityFunnel.Telegram;

namespace CommunityFunnel.Webhooks;

/// <summary>
/// The two endpoints. One request at a time (a real host would queue deliveries to one writer); every answer is sent
/// only after the events are flushed to the file, so a delivery the platform saw answered is on disk.
/// </summary>
internal sealed class WebhookHost : IDisposable
{
    private readonly TelegramUpdateMapper _telegram = new(new TelegramMapperOptions
    {
        // The names the bot gave its invite links (createChatInviteLink name=...), and the tasks.
        InviteLinkChannels = new Dictionary<string, string> { ["poster-1118"] = "poster" },
        TaskHashtags = new Dictionary<string, string> { ["#share"] = "share-screenshot" },
    });

    private readonly DiscordGatewayMapper _discord = new(new DiscordMapperOptions
    {
        InviteChannels = new Dictionary<string, string> { ["lumenPoster"] = "poster" },
        TaskHashtags = new Dictionary<string, string> { ["#share"] = "share-screenshot" },
    });

    private readonly EventLogWriter _writer;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly string? _telegramSecret;
    private readonly string? _invitesPath;
    private readonly Dictionary<(string Guild, string User), DiscordJoinAttribution> _pending = [];
    private Dictionary<string, int> _inviteUses;

    public WebhookHost(string output, string? telegramSecret, string? invitesPath)
    {
        // Ids already in the file are not appended again (the reader would ignore them anyway).
        if (File.Exists(output))
        {
            foreach (var e in new EventLogReader().ReadFileEvents(output))
            {
                _written.Add(e.Id);
            }
        }

        _writer = new EventLogWriter(new FileStream(output, FileMode.Append, FileAccess.Write, FileShare.Read));
        _telegramSecret = telegramSecret;
        _invitesPath = invitesPath;
        _inviteUses = FetchInviteUses();
    }

    public async Task RunAsync(int port, TextWriter log, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        await log.WriteLineAsync($"listening on http://127.0.0.1:{port}/ (POST /telegram, POST /discord)");
        await log.FlushAsync(cancellationToken);
        using var registration = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (HttpListenerException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var (status, text) = Handle(context.Request);
            var body = Encoding.UTF8.GetBytes(text + "\n");
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body, cancellationToken);
            context.Response.Close();
        }
    }

    private (int Status, string Text) Handle(HttpListenerRequest request)
    {
        if (request.HttpMethod != "POST")
        {
            return (405, "POST only");
        }

        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = reader.ReadToEnd();
        }

        try
        {
            return request.Url?.AbsolutePath switch
            {
                "/telegram" => Telegram(request, body),
                "/discord" => Discord(body),
                _ => (404, "no such endpoint"),
            };
        }
        catch (TelegramException e)
        {
            // A payload the adapter refuses: say which field. (Telegram retries a failed delivery; a host may prefer
            // to log it and answer 200 so that a malformed update is not sent again and again.)
            return (400, $"{e.Reason}: {e.Message}");
        }
        catch (DiscordException e)
        {
            return (400, $"{e.Reason}: {e.Message}");
        }
    }

    private (int, string) Telegram(HttpListenerRequest request, string body)
    {
        // setWebhook(secret_token=...) makes Telegram send it in this header on every delivery.
        if (_telegramSecret is not null
            && !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(request.Headers["X-Telegram-Bot-Api-Secret-Token"] ?? ""),
                Encoding.UTF8.GetBytes(_telegramSecret)))
        {
            return (401, "wrong secret token");
        }

        return (200, Append(_telegram.Map(body).Events));
    }

    private (int, string) Discord(string body)
    {
        var dispatch = PeekDispatch(body);
        DiscordJoinAttribution? attribution = null;
        if (dispatch == "GUILD_MEMBER_ADD")
        {
            // The gateway names no invite: diff the invite use counts against the previous fetch.
            var now = FetchInviteUses();
            attribution = _discord.Attribute(_inviteUses, now);
            _inviteUses = now;
        }

        var result = _discord.Map(body, new DiscordDelivery { Attribution = attribution });
        if (result is { PendingScreening: true, GuildId: { } guild, UserId: { } user })
        {
            _pending[(guild, user)] = attribution ?? DiscordJoinAttribution.Unknown;   // the join comes with the UPDATE
        }
        else if (result.Kind == DiscordDispatchKind.GuildMemberUpdate && result.Events.Count > 0
            && _pending.Remove((result.GuildId!, result.UserId!), out var kept))
        {
            result = _discord.Map(body, new DiscordDelivery { Attribution = kept });
        }
        else if (result.Kind == DiscordDispatchKind.GuildMemberUpdate)
        {
            // Not a member we saw pending: every later UPDATE repeats pending=false; nothing to append.
            return (200, "0 events");
        }

        return (200, Append(result.Events));
    }

    private string Append(IReadOnlyList<CommunityEvent> events)
    {
        var added = 0;
        foreach (var e in events)
        {
            if (_written.Add(e.Id))
            {
                _writer.Write(e);
                added++;
            }
        }

        _writer.Flush();
        return $"{added} events";
    }

    /// <summary>The stand-in for <c>GET /guilds/{id}/invites</c>: a JSON file of invite code → uses.</summary>
    private Dictionary<string, int> FetchInviteUses() =>
        _invitesPath is not null && File.Exists(_invitesPath)
            ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(_invitesPath)) ?? []
            : [];

    private static string? PeekDispatch(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("t", out var t)
                && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the mapper says what is wrong with it
        }
    }

    public void Dispose() => _writer.Dispose();
}
