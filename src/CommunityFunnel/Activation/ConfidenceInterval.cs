namespace CommunityFunnel.Activation;

/// <summary>A two-sided confidence interval for a proportion, both bounds in [0, 1].</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    /// <summary>The two-sided 95% normal quantile used for <see cref="Wilson95"/>.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The 95% Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/>, or
    /// <see langword="null"/> when <paramref name="trials"/> is 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or successes exceed trials.</exception>
    public static ConfidenceInterval? Wilson95(long successes, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return null;
        }

        double n = trials;
        var p = successes / n;
        const double z2 = Z95 * Z95;
        var denominator = 1 + (z2 / n);
        var center = (p + (z2 / (2 * n))) / denominator;
        var half = Z95 * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return new ConfidenceInterval(Math.Max(0, center - half), Math.Min(1, center + half));
    }
}
