using System.Runtime.CompilerServices;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

public sealed class DeadlineQueueTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void PopsInDueThenSlotOrder_LikeASortedList(int seed)
    {
        var rng = new Random(seed);
        var queue = new DeadlineQueue(1);
        var reference = new List<(long Due, int Slot)>();
        for (var step = 0; step < 3_000; step++)
        {
            if (rng.Next(3) > 0)
            {
                var due = rng.Next(1, 500);
                var slot = rng.Next(100);
                queue.Push(due, slot, step);
                reference.Add((due, slot));
            }
            else
            {
                var now = rng.Next(0, 600);
                while (queue.TryPopDue(now, out var due, out var slot, out _))
                {
                    var expected = reference.OrderBy(r => r.Due).ThenBy(r => r.Slot).First();
                    Assert.Equal(expected, (due, slot));
                    reference.Remove(expected);
                }

                Assert.DoesNotContain(reference, r => r.Due <= now);
            }

            Assert.Equal(reference.Count, queue.Count);
        }
    }

    [Fact]
    public void MemberData_KeepsItsHotFieldsInTheFirst64Bytes()
    {
        Assert.Equal(128, Unsafe.SizeOf<MemberData>());
        Assert.Equal(1, Unsafe.SizeOf<MemberState>());
        Assert.Equal(1, Unsafe.SizeOf<LifecycleReason>());
    }
}
