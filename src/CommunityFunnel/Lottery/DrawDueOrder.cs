namespace CommunityFunnel.Lottery;

/// <summary>
/// Which draws are due and in what order (<see cref="IDrawDueIndex.ListDueAsync"/>): open draws past their scheduled
/// close first, then closed ones not drawn yet; each group by its instant (the close, or when it was closed), then by
/// id, ordinal. The in-memory store and the SQL stores share it (this file is compiled into the SQL store packages too).
/// </summary>
internal sealed class DrawDueOrder : IComparer<(int Kind, long At, string Id)>
{
    /// <summary>The <c>Kind</c> of an open draw past its close.</summary>
    public const int OpenPastClose = 0;

    /// <summary>The <c>Kind</c> of a closed draw not drawn yet.</summary>
    public const int ClosedNotDrawn = 1;

    public static readonly DrawDueOrder Instance = new();

    public int Compare((int Kind, long At, string Id) x, (int Kind, long At, string Id) y)
    {
        var c = x.Kind.CompareTo(y.Kind);
        if (c == 0)
        {
            c = x.At.CompareTo(y.At);
        }

        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    /// <summary>The due draws among <paramref name="draws"/> at <paramref name="now"/>, in order, at most <paramref name="max"/>.</summary>
    public static List<string> Select(IEnumerable<DrawRecord> draws, DateTimeOffset now, int max)
    {
        var due = new List<(int Kind, long At, string Id)>();
        foreach (var r in draws)
        {
            if (r.State == DrawState.Open && r.Definition.Schedule.ClosesAt is { } closes && closes <= now)
            {
                due.Add((OpenPastClose, closes.UtcTicks, r.DrawId));
            }
            else if (r.State is DrawState.Closed or DrawState.EntropySupplied)
            {
                due.Add((ClosedNotDrawn, (r.ClosedAt ?? r.CreatedAt).UtcTicks, r.DrawId));
            }
        }

        due.Sort(Instance);
        return due.Take(max).Select(d => d.Id).ToList();
    }
}
