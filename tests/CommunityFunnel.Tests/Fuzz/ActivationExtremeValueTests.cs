using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>The activation rate at the largest window and the outermost instants.</summary>
public sealed class ActivationExtremeValueTests
{
    private static readonly DateTimeOffset First = new(1, 1, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Last = new(9999, 12, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLargestWindow_KeepsEveryJoinPending_AndAsOfAtEitherEnd_CountsWithoutOverflow()
    {
        var events = new[]
        {
            new CommunityEvent("j1", EventType.Joined, "g1", "m1", First),
            new CommunityEvent("a1", EventType.Message, "g1", "m1", Last),
            new CommunityEvent("j2", EventType.Joined, "g1", "m2", Last),
        };

        var widest = ActivationCalculator.Calculate(events, new ActivationQuery(DateTimeOffset.MaxValue) { Window = TimeSpan.MaxValue, TimeZoneId = "UTC" });
        var streaming = new StreamingActivationCalculator(TimeSpan.MaxValue);
        foreach (var e in events)
        {
            streaming.Add(e);
        }

        // A window of TimeSpan.MaxValue never closes before DateTimeOffset.MaxValue: both joins stay pending.
        Assert.Equal((0L, 0L, 2L), (widest.Eligible, widest.Activated, widest.Pending));
        var streamed = streaming.GetReport(new ActivationQuery(DateTimeOffset.MaxValue) { Window = TimeSpan.MaxValue, TimeZoneId = "UTC" });
        Assert.Equal((widest.Eligible, widest.Activated, widest.Pending), (streamed.Eligible, streamed.Activated, streamed.Pending));

        // A window just shorter than the log's span: m1's window closed at asOf, and m1 spoke within it.
        var span = Last - First;
        var closed = ActivationCalculator.Calculate(events, new ActivationQuery(DateTimeOffset.MaxValue) { Window = span + TimeSpan.FromTicks(1), TimeZoneId = "UTC" });
        Assert.Equal((1L, 1L, 1L), (closed.Eligible, closed.Activated, closed.Pending));

        var early = ActivationCalculator.Calculate(events, new ActivationQuery(DateTimeOffset.MinValue) { Window = TimeSpan.MaxValue, TimeZoneId = "UTC" });
        Assert.Equal(0L, early.Eligible + early.Pending); // nothing had joined yet
    }
}
