using System.Globalization;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Webhooks;
using Microsoft.Extensions.DependencyInjection;

// A host's webhook endpoints feeding the core: POST /telegram takes a Bot API update (as Telegram's setWebhook sends
// it), POST /discord a gateway dispatch (as the host's gateway connection forwards it), GET and POST /wecom WeCom's
// customer-group callbacks. Each delivery is mapped, its new events appended to an event-log/v1 file through
// EventLogWriter and applied to the member lifecycle and the reward engine before the answer. See README.md.
//
//   dotnet run --project samples/CommunityFunnel.Webhooks -- --port 8080 --out events.jsonl \
//       [--store memory|sqlite:PATH] [--telegram-secret TOKEN] [--invites invites.json] \
//       [--wecom-token T --wecom-aes-key K --wecom-corp-id C --wecom-groupchats DIR]
//
// The WeCom settings may come from the environment instead: WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID.
const string Usage = "usage: --port N --out events.jsonl [--store memory|sqlite:PATH] [--telegram-secret TOKEN] [--invites invites.json] "
    + "[--wecom-token T --wecom-aes-key K --wecom-corp-id C --wecom-groupchats DIR]";

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

string? Setting(string option, string environment) => Option(option) ?? (Environment.GetEnvironmentVariable(environment) is { Length: > 0 } v ? v : null);

if (!int.TryParse(Option("--port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535 || Option("--out") is not { } output)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var store = Option("--store") ?? "memory";
if (store != "memory" && !(store.StartsWith("sqlite:", StringComparison.Ordinal) && store.Length > "sqlite:".Length))
{
    Console.Error.WriteLine($"--store '{store}' is not 'memory' or 'sqlite:PATH'; {Usage}");
    return 2;
}

WeComSettings? weCom = null;
var (token, aesKey, corpId) = (Setting("--wecom-token", "WECOM_TOKEN"), Setting("--wecom-aes-key", "WECOM_ENCODING_AES_KEY"), Setting("--wecom-corp-id", "WECOM_CORP_ID"));
if (token is not null || aesKey is not null || corpId is not null)
{
    if (token is null || aesKey is null || corpId is null)
    {
        Console.Error.WriteLine("WeCom needs all three of the token, the EncodingAESKey and the corp id (--wecom-token/WECOM_TOKEN, --wecom-aes-key/WECOM_ENCODING_AES_KEY, --wecom-corp-id/WECOM_CORP_ID)");
        return 2;
    }

    weCom = new WeComSettings(token, aesKey, corpId, new FileWeComGroupChatFetcher(Option("--wecom-groupchats") ?? Directory.GetCurrentDirectory()));
}

var actions = new ConsoleActionHandler(Console.Out);
var services = new ServiceCollection();
var builder = services.AddCommunityFunnel(o => o.TimeZoneId = "Asia/Shanghai")
    .AddRewardRules(SampleRewardRules.Create())
    .AddMemberActionHandler(actions);
if (store == "memory")
{
    builder.UseInMemoryStores();
}
else
{
    builder.UseSqliteStores($"Data Source={store["sqlite:".Length..]}");
}

await using var provider = services.BuildServiceProvider(validateScopes: true);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

WebhookHost host;
try
{
    // With in-memory stores the replay of the log rebuilds the state: its actions were carried out in an earlier run.
    host = await WebhookHost.OpenAsync(
        output,
        provider.GetRequiredService<IMemberLifecycle>(),
        provider.GetRequiredService<IRewardEngine>(),
        provider.GetService<TimeProvider>() ?? TimeProvider.System,
        Option("--telegram-secret"),
        Option("--invites"),
        weCom,
        beforeReplay: () => actions.Muted = store == "memory",
        afterReplay: () => actions.Muted = false,
        stop.Token);
}
catch (ArgumentException e) when (weCom is not null)
{
    Console.Error.WriteLine($"bad WeCom setting: {e.Message}");
    return 2;
}

using (host)
{
    await host.RunAsync(port, Console.Out, stop.Token);
}

return 0;
