using System.Globalization;
using CommunityFunnel.Cli.Simulation;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel simulate</c>: writes a synthetic event log.</summary>
internal sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";

    public string Summary => "write a realistic synthetic event log (deterministic for a seed)";

    public string Usage =>
        "Usage: community-funnel simulate --members N --days D --seed S [--out FILE]\n" +
        "                                 [--start YYYY-MM-DD] [--time-zone ZONE]\n" +
        "\n" +
        "Writes an event-log/v1 JSON Lines file of a simulated community (several groups, staff and bots,\n" +
        "joins by channel, check-ins, tasks, lotteries, orders, leavers and rejoins, ~0.2% duplicate lines).\n" +
        "The same arguments always give the same bytes.\n" +
        "\n" +
        $"  --members N        members who join, 1 to {SimulationOptions.MaxMembers}\n" +
        $"  --days D           days simulated, 1 to {SimulationOptions.MaxDays}\n" +
        "  --seed S           the seed, 0 or more\n" +
        "  --out FILE         write to FILE (default: standard output)\n" +
        "  --start DATE       first local day (default 2026-11-01)\n" +
        "  --time-zone ZONE   IANA zone of the community (default Asia/Shanghai)\n";

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        var members = a.OptionalInt64("members", 1, SimulationOptions.MaxMembers) ?? throw new CliUsageException("missing required option --members");
        var days = a.OptionalInt64("days", 1, SimulationOptions.MaxDays) ?? throw new CliUsageException("missing required option --days");
        var seed = a.OptionalInt64("seed", 0, long.MaxValue) ?? throw new CliUsageException("missing required option --seed");
        var outPath = a.Optional("out");
        var startText = a.Optional("start");
        var zoneId = a.Optional("time-zone");
        a.EnsureAllConsumed();

        var options = new SimulationOptions { Members = (int)members, Days = (int)days, Seed = (ulong)seed };
        if (startText is not null)
        {
            if (!DateOnly.TryParseExact(startText, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                throw new CliUsageException($"option --start: '{startText}' is not a date such as 2026-11-01");
            }

            options = options with { StartDate = start };
        }

        if (zoneId is not null)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _))
            {
                throw new CliUsageException($"option --time-zone: '{zoneId}' is not an IANA time zone known to this machine, e.g. Asia/Shanghai");
            }

            options = options with { TimeZoneId = zoneId };
        }

        options.Validate();
        if (outPath is null)
        {
            using var stdout = new TextWriterStream(context.Out);
            CommunitySimulator.WriteTo(stdout, options);
            return CliApp.Success;
        }

        var lines = WriteFile(outPath, options, context);
        context.Out.WriteLine($"wrote {lines.ToString("N0", CultureInfo.InvariantCulture)} lines to {outPath}");
        return CliApp.Success;
    }

    /// <summary>Writes to a temporary file beside the target, then moves it in place: never a half-written log.</summary>
    private static long WriteFile(string path, SimulationOptions options, CliContext context)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliUsageException($"option --out: no such directory '{directory}'");
        }

        var temp = full + ".tmp";
        // Progress is the simulated time covered so far (approximate around daylight-saving changes).
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZoneId);
        var midnight = options.StartDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var first = midnight.Ticks - zone.GetUtcOffset(midnight).Ticks;
        var span = options.Days * TimeSpan.TicksPerDay;
        long position = 0;
        try
        {
            long lines;
            using (var progress = context.Progress("simulating", () => position, span))
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                lines = CommunitySimulator.WriteTo(file, options, e =>
                {
                    position = e.AtUtcTicks - first;
                    progress.Tick();
                });
            }

            File.Move(temp, full, overwrite: true);
            return lines;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
