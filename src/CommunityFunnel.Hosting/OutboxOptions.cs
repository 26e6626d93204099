namespace CommunityFunnel.Hosting;

/// <summary>
/// The action outbox of the hosted runtime (<see cref="HostedRuntimeOptions.Outbox"/>): decided member actions are
/// written with the state change that decided them and delivered to the <c>IMemberActionHandler</c>s at least once,
/// with retries and exponential backoff, then given up as dead letters. Validated when the host starts.
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Whether actions go through the outbox (default <c>true</c>; turns <c>LifecycleOptions.UseOutbox</c> on). Off:
    /// handlers get each action on the submitting caller's flow after the save, as without the runtime.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether this host delivers (default <c>true</c>). Off on instances that only take webhooks while others deliver.</summary>
    public bool RunDispatcher { get; set; } = true;

    /// <summary>How often the dispatcher looks for due entries when the last look found none to spare (default 1 s; 10 ms to 1 h).</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many entries one claim takes (default 100; 1 to 10,000).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long a claim holds its entries (default 1 min; 1 s to 1 day). An instance that dies holding a claim loses it
    /// after this long, and another instance delivers the entries. Longer than a batch takes to deliver.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many failed deliveries make an entry a dead letter (default 8; 1 to 100).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure (default 5 s; at least 10 ms); it doubles with each further failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts (default 10 min; at least <see cref="RetryDelay"/>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// This instance's id in claims (default: machine name, process id and a random suffix). Two instances must
    /// never share one.
    /// </summary>
    public string InstanceId { get; set; } = string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    /// <summary>The wait before the next attempt after the <paramref name="failures"/>-th failure: <see cref="RetryDelay"/> × 2^(failures − 1), at most <see cref="MaxRetryDelay"/>.</summary>
    /// <param name="failures">Failures so far, including the one just had (at least 1).</param>
    /// <returns>The wait.</returns>
    public TimeSpan BackoffAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var ticks = RetryDelay.Ticks;
        for (var i = 1; i < failures && ticks < MaxRetryDelay.Ticks; i++)
        {
            ticks = ticks > long.MaxValue / 2 ? long.MaxValue : ticks * 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, MaxRetryDelay.Ticks));
    }
}
