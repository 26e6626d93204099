using System.Globalization;
using CommunityFunnel.Webhooks;

// A host's webhook endpoints feeding the core: POST /telegram takes a Bot API update (as Telegram's setWebhook sends
// it), POST /discord a gateway dispatch (as the host's gateway connection forwards it). Each delivery is mapped and
// its new events appended to an event-log/v1 file through EventLogWriter. See README.md next to this file.
//
//   dotnet run --project samples/CommunityFunnel.Webhooks -- --port 8080 --out events.jsonl \
//       [--telegram-secret TOKEN] [--invites invites.json]
string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

if (!int.TryParse(Option("--port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535 || Option("--out") is not { } output)
{
    Console.Error.WriteLine("usage: --port N --out events.jsonl [--telegram-secret TOKEN] [--invites invites.json]");
    return 2;
}

using var host = new WebhookHost(output, Option("--telegram-secret"), Option("--invites"));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await host.RunAsync(port, Console.Out, stop.Token);
return 0;
