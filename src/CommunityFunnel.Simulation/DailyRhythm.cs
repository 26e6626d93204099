namespace CommunityFunnel.Simulation;

/// <summary>
/// When in the local day people act: quiet nights, a lunch bump, and the evening peak from 19:00 to 22:00
/// (Asia/Shanghai habits, applied in the simulation's zone).
/// </summary>
internal static class DailyRhythm
{
    // Relative weights per local hour 0..23.
    private static readonly int[] HourWeights =
    [
        20, 10, 5, 3, 3, 5, 10, 25, 35, 40, 40, 45,
        55, 45, 40, 40, 40, 45, 60, 90, 110, 100, 70, 40,
    ];

    private static readonly int[] Cumulative = Accumulate(HourWeights);

    /// <summary>A local second of the day drawn from the rhythm.</summary>
    public static int SampleSecondOfDay(ref SimRandom rng) => (rng.Pick(Cumulative) * 3600) + rng.Next(3600);

    /// <summary>A local second of the day, uniform between two local times given in minutes.</summary>
    public static int Window(ref SimRandom rng, int fromMinute, int toMinute) =>
        (fromMinute * 60) + rng.Next((toMinute - fromMinute) * 60);

    private static int[] Accumulate(int[] weights)
    {
        var sums = new int[weights.Length];
        var total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += weights[i];
            sums[i] = total;
        }

        return sums;
    }
}
