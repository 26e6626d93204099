using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Discord;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Telegram;
using CommunityFunnel.WeCom;

namespace CommunityFunnel.Webhooks;

/// <summary>The WeCom callback's settings (from the admin console's 接收事件服务器 page) and the stand-in for its API.</summary>
internal sealed record WeComSettings(string Token, string EncodingAesKey, string CorpId, IWeComGroupChatFetcher GroupChats);

/// <summary>
/// The three endpoints. One request at a time (a real host would queue deliveries to one worker). Every answer is sent
/// only after the delivery's events are durable: appended to the file and flushed, then applied to the member
/// lifecycle and the reward engine, awaited in order. A re-delivery maps to the same event ids and is a duplicate in
/// the log, the lifecycle and the ledger alike.
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

    // The state of each 「加入群聊」 join way the operator created, and the channel it stands for.
    private readonly WeComChatMapper _weCom = new(new Dictionary<string, string> { ["poster-1118"] = "poster", ["store-sh-01"] = "store" });

    private readonly FileStream _file;
    private readonly EventLogWriter _writer;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);
    private readonly IMemberLifecycle _lifecycle;
    private readonly IRewardEngine _rewards;
    private readonly TimeProvider _time;
    private readonly string? _telegramSecret;
    private readonly string? _invitesPath;
    private readonly WeComSettings? _weComSettings;
    private readonly WeComCallbackCrypto? _weComCrypto;
    private readonly Dictionary<string, string> _weComVersions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Guild, string User), DiscordJoinAttribution> _pending = [];
    private readonly List<CommunityEvent> _logged = [];
    private Dictionary<string, int> _inviteUses;

    private WebhookHost(string output, IMemberLifecycle lifecycle, IRewardEngine rewards, TimeProvider time, string? telegramSecret, string? invitesPath, WeComSettings? weCom)
    {
        // Ids already in the file are not appended again (the reader would ignore them anyway).
        if (File.Exists(output))
        {
            foreach (var e in new EventLogReader().ReadFileEvents(output))
            {
                if (_written.Add(e.Id))
                {
                    _logged.Add(e);
                }
            }
        }

        _file = new FileStream(output, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new EventLogWriter(_file, leaveOpen: true);
        _lifecycle = lifecycle;
        _rewards = rewards;
        _time = time;
        _telegramSecret = telegramSecret;
        _invitesPath = invitesPath;
        _weComSettings = weCom;
        _weComCrypto = weCom is null ? null : new WeComCallbackCrypto(weCom.Token, weCom.EncodingAesKey, weCom.CorpId);
        _inviteUses = FetchInviteUses();
    }

    /// <summary>
    /// Opens the log and brings the core up to it: every event already in the file is applied again, in order. With
    /// durable stores that finishes what a crash between the append and the apply left undone (the rest are
    /// duplicates); with in-memory stores it rebuilds the state (the replay's actions were carried out before: pass
    /// <paramref name="beforeReplay"/> / <paramref name="afterReplay"/> to mute them).
    /// </summary>
    public static async Task<WebhookHost> OpenAsync(
        string output, IMemberLifecycle lifecycle, IRewardEngine rewards, TimeProvider time, string? telegramSecret, string? invitesPath, WeComSettings? weCom,
        Action beforeReplay, Action afterReplay, CancellationToken cancellationToken)
    {
        var host = new WebhookHost(output, lifecycle, rewards, time, telegramSecret, invitesPath, weCom);
        try
        {
            beforeReplay();
            foreach (var e in host._logged)
            {
                await host.ApplyAsync(e, cancellationToken);
            }

            afterReplay();
            host._logged.Clear();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async Task RunAsync(int port, TextWriter log, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var weCom = _weComCrypto is null ? "" : ", GET and POST /wecom";
        await log.WriteLineAsync($"listening on http://127.0.0.1:{port}/ (POST /telegram, POST /discord{weCom})");
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

            var (status, text) = await HandleAsync(context.Request, cancellationToken);
            var body = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body, cancellationToken);
            context.Response.Close();
        }
    }

    private async Task<(int Status, string Text)> HandleAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        var path = request.Url?.AbsolutePath;
        if (path == "/wecom" && _weComCrypto is not null && request.HttpMethod == "GET")
        {
            return WeComVerify(request);   // the decrypted echo, byte for byte: no newline
        }

        if (request.HttpMethod != "POST")
        {
            return (405, "POST only\n");
        }

        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        try
        {
            var (status, text) = path switch
            {
                "/telegram" => await TelegramAsync(request, body, cancellationToken),
                "/discord" => await DiscordAsync(body, cancellationToken),
                "/wecom" when _weComCrypto is not null => await WeComAsync(request, body, cancellationToken),
                _ => (404, "no such endpoint"),
            };
            return (status, text + "\n");
        }
        catch (TelegramException e)
        {
            // A payload the adapter refuses: say which field. (Telegram retries a failed delivery; a host may prefer
            // to log it and answer 200 so that a malformed update is not sent again and again.)
            return (400, $"{e.Reason}: {e.Message}\n");
        }
        catch (DiscordException e)
        {
            return (400, $"{e.Reason}: {e.Message}\n");
        }
        catch (WeComException e)
        {
            return (e.Reason == WeComError.InvalidSignature ? 401 : 400, $"{e.Reason}: {e.Message}\n");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store or a handler failed: not answered as done, so the platform delivers it again; the host goes on.
            await Console.Error.WriteLineAsync($"{path}: {e}");
            return (500, "not processed; deliver it again\n");
        }
    }

    private async Task<(int, string)> TelegramAsync(HttpListenerRequest request, string body, CancellationToken cancellationToken)
    {
        // setWebhook(secret_token=...) makes Telegram send it in this header on every delivery.
        if (_telegramSecret is not null
            && !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(request.Headers["X-Telegram-Bot-Api-Secret-Token"] ?? ""),
                Encoding.UTF8.GetBytes(_telegramSecret)))
        {
            return (401, "wrong secret token");
        }

        return (200, await AppendAndApplyAsync(_telegram.Map(body).Events, cancellationToken));
    }

    private async Task<(int, string)> DiscordAsync(string body, CancellationToken cancellationToken)
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

        return (200, await AppendAndApplyAsync(result.Events, cancellationToken));
    }

    /// <summary>The URL verification WeCom sends when the callback URL is saved: answer the decrypted <c>echostr</c>.</summary>
    private (int, string) WeComVerify(HttpListenerRequest request)
    {
        var q = request.QueryString;
        if (q["msg_signature"] is not { } signature || q["timestamp"] is not { } timestamp || q["nonce"] is not { } nonce || q["echostr"] is not { } echo)
        {
            return (400, "msg_signature, timestamp, nonce and echostr are required\n");
        }

        try
        {
            return (200, _weComCrypto!.VerifyUrl(signature, timestamp, nonce, echo));
        }
        catch (WeComException e)
        {
            return (e.Reason == WeComError.InvalidSignature ? 401 : 400, $"{e.Reason}: {e.Message}\n");
        }
    }

    /// <summary>
    /// A customer-group callback: check and decrypt, map with the group's known member version, append and apply the
    /// events; when the mapper says resync, fetch <c>groupchat/get</c> and reconcile, and append and reward the
    /// events the reconciliation applied. WeCom retries a callback not answered within 5 seconds: the retry maps to
    /// the same ids.
    /// </summary>
    private async Task<(int, string)> WeComAsync(HttpListenerRequest request, string body, CancellationToken cancellationToken)
    {
        var q = request.QueryString;
        if (q["msg_signature"] is not { } signature || q["timestamp"] is not { } timestamp || q["nonce"] is not { } nonce)
        {
            return (400, "msg_signature, timestamp and nonce are required");
        }

        var xml = _weComCrypto!.DecryptMessage(signature, timestamp, nonce, body);
        if (!WeComChatChange.TryParse(xml, out var change))
        {
            return (200, "0 events");   // another event (change_external_contact, ...): not this sample's
        }

        var fetcher = _weComSettings!.GroupChats;
        _weComVersions.TryGetValue(change.ChatId, out var known);

        // A callback names no join way: fetch the group's details for its joins, so that each gets its channel.
        var details = change.UpdateDetail == WeComUpdateDetail.AddMember ? await fetcher.FetchAsync(change.ChatId, cancellationToken) : null;
        var result = _weCom.Map(change, known, details);
        var added = await AppendAndApplyCountAsync(result.Events, cancellationToken);
        if (!result.NeedsResync)
        {
            KeepVersion(change.ChatId, result.MemberVersion);
            return (200, Count(added));
        }

        // The new version is kept only once the resync is done: until then the group's next callback (or WeCom's
        // retry of this one, after a failure answered 500) still shows the gap and resyncs.
        IReadOnlyList<CommunityEvent> reconciled;
        if (result.Resync == WeComResyncReason.GroupDismissed)
        {
            // groupchat/get no longer answers for a dismissed group: every known member leaves.
            reconciled = await _lifecycle.ReconcileAsync(change.ChatId, [], Later(change.CreateTime), cancellationToken);
            KeepVersion(change.ChatId, result.MemberVersion);
        }
        else if ((details ?? await fetcher.FetchAsync(change.ChatId, cancellationToken)) is { } chat)
        {
            reconciled = await _lifecycle.ReconcileAsync(chat.ChatId, _weCom.ToSnapshot(chat), Later(change.CreateTime), cancellationToken);
            KeepVersion(chat.ChatId, chat.MemberVersion ?? result.MemberVersion);
        }
        else
        {
            return (200, Count(added) + ", resync " + result.Resync + " pending: no group details");
        }

        // ReconcileAsync applied them to the lifecycle; the log and the rewards get them now, before the answer.
        var fresh = reconciled.Where(e => _written.Add(e.Id)).ToList();
        foreach (var e in fresh)
        {
            _writer.Write(e);
        }

        Durable();
        foreach (var e in fresh)
        {
            await _rewards.ProcessAsync(e, cancellationToken);
            _applied.Add(e.Id);
        }

        return (200, $"{Count(added)}, resync {result.Resync}: {fresh.Count} reconciled");
    }

    private void KeepVersion(string chatId, string? version)
    {
        if (version is not null)
        {
            _weComVersions[chatId] = version;
        }
    }

    /// <summary>When the member list is fetched: now, and never before the callback (a snapshot cannot precede its joins).</summary>
    private DateTimeOffset Later(DateTimeOffset at)
    {
        var now = _time.GetUtcNow();
        return now > at ? now : at;
    }

    private async Task<string> AppendAndApplyAsync(IReadOnlyList<CommunityEvent> events, CancellationToken cancellationToken) =>
        Count(await AppendAndApplyCountAsync(events, cancellationToken));

    private static string Count(int added) => $"{added} events";

    /// <summary>
    /// Appends the events not yet in the log and flushes them to disk, then applies, in order, those not yet applied:
    /// a delivery whose apply failed half-way (answered 500) completes when the platform retries it, and the reward
    /// engine never sees an event twice (a count rule would count it twice).
    /// </summary>
    private async Task<int> AppendAndApplyCountAsync(IReadOnlyList<CommunityEvent> events, CancellationToken cancellationToken)
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

        Durable();
        foreach (var e in events)
        {
            await ApplyAsync(e, cancellationToken);
        }

        return added;
    }

    private async Task ApplyAsync(CommunityEvent e, CancellationToken cancellationToken)
    {
        if (_applied.Contains(e.Id))
        {
            return;
        }

        await _lifecycle.ApplyAsync(e, cancellationToken);
        await _rewards.ProcessAsync(e, cancellationToken);
        _applied.Add(e.Id);
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

    /// <summary>The appended lines reach the disk, not only the OS cache, before anything else happens.</summary>
    private void Durable()
    {
        _writer.Flush();
        _file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
