namespace CommunityFunnel.Members;

/// <summary>The outbox rules every store shares (this file is compiled into the SQL store packages too).</summary>
internal static class OutboxChecks
{
    public static void Claim(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (leaseUntil <= now)
        {
            throw new ArgumentException("leaseUntil must be after now", nameof(leaseUntil));
        }
    }

    /// <summary>Checks new entries and returns them as the store keeps them at first: pending, no attempt.</summary>
    public static OutboxEntry AsPending(OutboxEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentException.ThrowIfNullOrEmpty(e.Id, nameof(e));
        ArgumentNullException.ThrowIfNull(e.Action, nameof(e));
        return e with { State = OutboxState.Pending, Attempts = 0, LastError = null, CompletedAt = null };
    }

    public static OutboxEntry Failed(OutboxEntry e, DateTimeOffset at, string error, DateTimeOffset? retryAt) => e with
    {
        Attempts = checked(e.Attempts + 1),
        LastError = error,
        State = retryAt is null ? OutboxState.Dead : OutboxState.Pending,
        NextAttemptAt = retryAt ?? e.NextAttemptAt,
        CompletedAt = retryAt is null ? at : null,
    };
}
