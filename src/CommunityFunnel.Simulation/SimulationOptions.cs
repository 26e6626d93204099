namespace CommunityFunnel.Simulation;

/// <summary>The size and shape of a simulated community. The same options and seed always give the same log.</summary>
public sealed record SimulationOptions
{
    /// <summary>Members who join during the simulation (staff and bots come on top). Default 1 000.</summary>
    public int Members { get; init; } = 1_000;

    /// <summary>Days simulated. Default 30.</summary>
    public int Days { get; init; } = 30;

    /// <summary>The seed: the same seed gives the same log, byte for byte.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The first day, as a local date in <see cref="TimeZoneId"/>. Default 2026-11-01.</summary>
    public DateOnly StartDate { get; init; } = new(2026, 11, 1);

    /// <summary>The community's IANA time zone; its evenings are the busy hours. Default <c>Asia/Shanghai</c>.</summary>
    public string TimeZoneId { get; init; } = "Asia/Shanghai";
}
