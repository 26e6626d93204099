using System.Globalization;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// The sample host's settings, read from ASP.NET Core configuration (appsettings.json, environment variables such as
/// <c>CommunityFunnel__Sqlite</c> or <c>ConnectionStrings__PostgreSql</c>, command-line arguments such as
/// <c>--CommunityFunnel:Sqlite=x.db</c>). Every value is parsed with the invariant culture; a bad value fails the
/// start with a message naming its key.
/// </summary>
public sealed record SampleHostSettings
{
    /// <summary>The SQLite file (<c>CommunityFunnel:Sqlite</c>, default <c>communityfunnel.db</c> in the working folder).</summary>
    public string SqliteFile { get; init; } = "communityfunnel.db";

    /// <summary>The PostgreSQL connection string (<c>ConnectionStrings:PostgreSql</c>); when set, PostgreSQL is used instead of SQLite.</summary>
    public string? PostgreSql { get; init; }

    /// <summary>The community's IANA time zone (<c>CommunityFunnel:TimeZone</c>, default <c>Asia/Shanghai</c>).</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Whether the scheduler runs here (<c>CommunityFunnel:Runtime:RunScheduler</c>, default true).</summary>
    public bool RunScheduler { get; init; } = true;

    /// <summary>The scheduler's period (<c>CommunityFunnel:Runtime:SchedulerPeriod</c>, <c>c</c> format, default one minute).</summary>
    public TimeSpan SchedulerPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a stored but unapplied event waits before the scheduler applies it (<c>CommunityFunnel:Runtime:RecoveryDelay</c>, default one minute).</summary>
    public TimeSpan? RecoveryDelay { get; init; }

    /// <summary>Draws the scheduler advances on each tick (<c>CommunityFunnel:Runtime:Draws:0</c>, <c>:1</c>, ...).</summary>
    public IReadOnlyList<string> ScheduledDraws { get; init; } = [];

    /// <summary>Whether this instance delivers the outbox (<c>CommunityFunnel:Outbox:RunDispatcher</c>, default true).</summary>
    public bool RunDispatcher { get; init; } = true;

    /// <summary>The dispatcher's poll period (<c>CommunityFunnel:Outbox:PollPeriod</c>, default one second).</summary>
    public TimeSpan? PollPeriod { get; init; }

    /// <summary>How long a claim holds outbox entries (<c>CommunityFunnel:Outbox:LeaseTime</c>, default one minute).</summary>
    public TimeSpan? LeaseTime { get; init; }

    /// <summary>The wait after a first failed delivery (<c>CommunityFunnel:Outbox:RetryDelay</c>).</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>How many outbox entries one claim takes (<c>CommunityFunnel:Outbox:BatchSize</c>, default 100).</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// A pause in the sample's action handler before each action (<c>CommunityFunnel:Sample:ActionDelay</c>, default
    /// none), standing for the platform call a real handler makes; on the host's clock.
    /// </summary>
    public TimeSpan ActionDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Failed deliveries before an entry is dead (<c>CommunityFunnel:Outbox:MaxAttempts</c>).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>This instance's id in outbox claims (<c>CommunityFunnel:Outbox:InstanceId</c>; default machine, process and a random suffix).</summary>
    public string? InstanceId { get; init; }

    /// <summary>Above this many pending outbox entries <c>/health</c> says Degraded (<c>CommunityFunnel:Health:OutboxBacklogDegradedAbove</c>, default 1000, at least 1).</summary>
    public long OutboxBacklogDegradedAbove { get; init; } = 1000;

    /// <summary>When the oldest pending outbox entry is older than this, <c>/health</c> says Degraded (<c>CommunityFunnel:Health:OutboxLagLimit</c>, default 5 min).</summary>
    public TimeSpan? OutboxLagLimit { get; init; }

    /// <summary>
    /// Fixed public entropy for every draw (<c>CommunityFunnel:Lottery:FixedEntropy</c>, hex, 0 to 4096 bytes): for
    /// rehearsals and tests only, since the operator chose it. Without it a closed draw waits for
    /// <c>POST /draws/{id}/entropy</c>.
    /// </summary>
    public byte[]? FixedEntropy { get; init; }

    /// <summary>
    /// A campaign file to run live (<c>CommunityFunnel:Campaign</c>, default none): the same format as
    /// <c>community-funnel campaign run --campaign</c> (reward rules, budgets, draw templates), resolved against the
    /// working folder. A bad file fails the start with a message naming the file and every problem.
    /// </summary>
    public string? CampaignFile { get; init; }

    /// <summary>
    /// The instant the host's clock starts at (<c>CommunityFunnel:Sample:ClockStart</c>, ISO-8601 with an offset,
    /// default none: the system clock). From there the clock runs at real speed, so a rehearsed week's close can be
    /// reached in seconds; for demonstrations and the crash tests only.
    /// </summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>Reads the settings, naming every bad key in one <see cref="InvalidOperationException"/>.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The settings.</returns>
    public static SampleHostSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var cf = configuration.GetSection("CommunityFunnel");
        var defaults = new SampleHostSettings();
        var settings = new SampleHostSettings
        {
            SqliteFile = Text(cf, "Sqlite") ?? defaults.SqliteFile,
            PostgreSql = configuration.GetConnectionString("PostgreSql") is { Length: > 0 } pg && !string.IsNullOrWhiteSpace(pg) ? pg : null,
            TimeZone = Text(cf, "TimeZone") ?? defaults.TimeZone,
            RunScheduler = Bool(cf, "Runtime:RunScheduler", problems) ?? true,
            SchedulerPeriod = Duration(cf, "Runtime:SchedulerPeriod", problems) ?? defaults.SchedulerPeriod,
            RecoveryDelay = Duration(cf, "Runtime:RecoveryDelay", problems),
            ScheduledDraws = [.. cf.GetSection("Runtime:Draws").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0)],
            RunDispatcher = Bool(cf, "Outbox:RunDispatcher", problems) ?? true,
            PollPeriod = Duration(cf, "Outbox:PollPeriod", problems),
            LeaseTime = Duration(cf, "Outbox:LeaseTime", problems),
            RetryDelay = Duration(cf, "Outbox:RetryDelay", problems),
            MaxAttempts = (int?)Integer(cf, "Outbox:MaxAttempts", problems, int.MaxValue),
            BatchSize = (int?)Integer(cf, "Outbox:BatchSize", problems, int.MaxValue),
            ActionDelay = Duration(cf, "Sample:ActionDelay", problems) ?? TimeSpan.Zero,
            InstanceId = Text(cf, "Outbox:InstanceId"),
            OutboxBacklogDegradedAbove = Integer(cf, "Health:OutboxBacklogDegradedAbove", problems, long.MaxValue) ?? defaults.OutboxBacklogDegradedAbove,
            OutboxLagLimit = Duration(cf, "Health:OutboxLagLimit", problems),
            FixedEntropy = Hex(cf, "Lottery:FixedEntropy", problems),
            CampaignFile = Text(cf, "Campaign"),
            ClockStart = Instant(cf, "Sample:ClockStart", problems),
        };

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid sample host settings: " + string.Join(" ", problems));
        }

        return settings;
    }

    private static string? Text(IConfiguration section, string key) =>
        section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool? Bool(IConfiguration section, string key, List<string> problems)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"CommunityFunnel:{key} '{text}' is not true or false.");
        return null;
    }

    private static TimeSpan? Duration(IConfiguration section, string key, List<string> problems)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        problems.Add($"CommunityFunnel:{key} '{text}' is not a positive duration such as 00:01:00 (hh:mm:ss, invariant 'c' format).");
        return null;
    }

    private static long? Integer(IConfiguration section, string key, List<string> problems, long max)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max)
        {
            return value;
        }

        problems.Add($"CommunityFunnel:{key} '{text}' is not a whole number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    private static DateTimeOffset? Instant(IConfiguration section, string key, List<string> problems)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        if (Instants.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"CommunityFunnel:{key} '{text}' is not an ISO-8601 instant with an offset such as 2026-12-06T11:59:50Z.");
        return null;
    }

    private static byte[]? Hex(IConfiguration section, string key, List<string> problems)
    {
        if (Text(section, key) is not { } text)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromHexString(text);
            if (bytes.Length <= 4096)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
        }

        problems.Add($"CommunityFunnel:{key} is not hex of 0 to 4096 bytes.");
        return null;
    }
}
