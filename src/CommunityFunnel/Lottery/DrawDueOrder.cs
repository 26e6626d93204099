namespace CommunityFunnel.Lottery;

/// <summary>Which draws are due and in what order (<see cref="IDrawDueIndex.ListDueAsync"/>), as the in-memory store lists them (the SQL stores sort the same way).</summary>
internal static class DrawDueOrder
{
    public static List<string> Select(IEnumerable<DrawRecord> draws, DateTimeOffset now, int max)
    {
        var open = new List<(long At, string Id)>();
        var closed = new List<(long At, string Id)>();
        foreach (var r in draws)
        {
            if (r.State == DrawState.Open && r.Definition.Schedule.ClosesAt is { } closes && closes <= now)
            {
                open.Add((closes.UtcTicks, r.DrawId));
            }
            else if (r.State is DrawState.Closed or DrawState.EntropySupplied)
            {
                closed.Add(((r.ClosedAt ?? r.CreatedAt).UtcTicks, r.DrawId));
            }
        }

        static int Order((long At, string Id) a, (long At, string Id) b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id);
        open.Sort(Order);
        closed.Sort(Order);
        return open.Concat(closed).Take(max).Select(d => d.Id).ToList();
    }
}
