using System.Globalization;

namespace CommunityFunnel.Simulation;

/// <summary>
/// The size and shape of a simulated community. The same options (seed included) always give the same log, byte
/// for byte, on every .NET version.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>The largest <see cref="Members"/>: member ids are <c>m-</c> and 7 digits, all distinct.</summary>
    public const int MaxMembers = 9_000_000;

    /// <summary>The largest <see cref="Days"/> (ten years).</summary>
    public const int MaxDays = 3_650;

    /// <summary>Members who join during the simulation (staff and bots come on top). Default 1 000.</summary>
    public int Members { get; init; } = 1_000;

    /// <summary>Days simulated, from <see cref="StartDate"/>. Default 30.</summary>
    public int Days { get; init; } = 30;

    /// <summary>The seed: the same seed gives the same log, byte for byte.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The first day, as a local date in <see cref="TimeZoneId"/>. Default 2026-11-01.</summary>
    public DateOnly StartDate { get; init; } = new(2026, 11, 1);

    /// <summary>
    /// The community's IANA time zone: days begin at its local midnight, its evenings are the busy hours, and
    /// timestamps are written with its offset (a few with <c>Z</c>). Default <c>Asia/Shanghai</c>.
    /// </summary>
    public string TimeZoneId { get; init; } = "Asia/Shanghai";

    /// <summary>
    /// Share of events written a second time later with the same id (platform callback retries), from 0 to 0.5.
    /// Default 0.002 (0.2%).
    /// </summary>
    public double DuplicateRate { get; init; } = 0.002;

    /// <summary>
    /// Share of events written late, after events with a later <c>at</c> (delayed callbacks), from 0 to 0.5.
    /// Default 0.01 (1%).
    /// </summary>
    public double OutOfOrderRate { get; init; } = 0.01;

    /// <summary>
    /// Checks every field and throws one <see cref="ArgumentException"/> that names each bad one, its value and the
    /// rule; <see cref="ArgumentException.ParamName"/> is the first bad field.
    /// </summary>
    /// <returns>The zone of <see cref="TimeZoneId"/>.</returns>
    /// <exception cref="ArgumentException">A field is out of range or the zone is unknown.</exception>
    public TimeZoneInfo Validate()
    {
        var problems = new List<(string Field, string Message)>();
        if (Members is < 1 or > MaxMembers)
        {
            problems.Add((nameof(Members), string.Create(CultureInfo.InvariantCulture, $"Members must be from 1 to {MaxMembers} (was {Members}).")));
        }

        if (Days is < 1 or > MaxDays)
        {
            problems.Add((nameof(Days), string.Create(CultureInfo.InvariantCulture, $"Days must be from 1 to {MaxDays} (was {Days}).")));
        }

        if (StartDate > DateOnly.MaxValue.AddDays(-MaxDays - 1))
        {
            problems.Add((nameof(StartDate), string.Create(CultureInfo.InvariantCulture, $"StartDate {StartDate:yyyy-MM-dd} is too late for the calendar.")));
        }

        if (!(DuplicateRate is >= 0 and <= 0.5))
        {
            problems.Add((nameof(DuplicateRate), string.Create(CultureInfo.InvariantCulture, $"DuplicateRate must be from 0 to 0.5 (was {DuplicateRate}).")));
        }

        if (!(OutOfOrderRate is >= 0 and <= 0.5))
        {
            problems.Add((nameof(OutOfOrderRate), string.Create(CultureInfo.InvariantCulture, $"OutOfOrderRate must be from 0 to 0.5 (was {OutOfOrderRate}).")));
        }

        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(TimeZoneId))
        {
            problems.Add((nameof(TimeZoneId), "TimeZoneId must name an IANA time zone, e.g. Asia/Shanghai (was empty)."));
        }
        else
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                problems.Add((nameof(TimeZoneId), $"TimeZoneId '{TimeZoneId}' is not an IANA time zone known to this machine."));
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "Invalid simulation options: " + string.Join(" ", problems.Select(p => p.Message)),
                problems[0].Field);
        }

        return zone!;
    }
}
