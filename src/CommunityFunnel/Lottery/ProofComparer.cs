namespace CommunityFunnel.Lottery;

/// <summary>Compares a recomputed proof with a stated one field by field, in document order (spec section 8).</summary>
internal static class ProofComparer
{
    public static DrawVerification FirstDifference(DrawProof expected, DrawProof actual) =>
        FirstHeaderDifference(expected, actual)
            ?? Forfeited(expected.Forfeited, actual.Forfeited)
            ?? Winners(expected.Winners, actual.Winners)
            ?? Entries(expected.Entries, actual.Entries)
            ?? DrawVerification.Valid;

    /// <summary>The first difference among the fields before <c>forfeited</c>, which do not depend on the selection.</summary>
    public static DrawVerification? FirstHeaderDifference(DrawProof expected, DrawProof actual)
    {
        return Text("version", expected.Version, actual.Version)
            ?? Text("drawId", expected.DrawId, actual.DrawId)
            ?? Prizes(expected.Prizes, actual.Prizes)
            ?? Number("entryCount", expected.EntryCount, actual.EntryCount)
            ?? Number("totalWeight", expected.TotalWeight, actual.TotalWeight)
            ?? Text("entriesRoot", expected.EntriesRoot, actual.EntriesRoot)
            ?? Text("commitment", expected.Commitment, actual.Commitment)
            ?? Text("serverSeed", expected.ServerSeed, actual.ServerSeed)
            ?? Text("publicEntropy", expected.PublicEntropy, actual.PublicEntropy);
    }

    private static DrawVerification? Text(string field, string? expected, string? actual) =>
        string.Equals(expected, actual, StringComparison.Ordinal)
            ? null
            : DrawVerification.Difference(field, FairDraw.Quote(expected), FairDraw.Quote(actual));

    private static DrawVerification? Number(string field, long? expected, long? actual) =>
        expected == actual ? null : DrawVerification.Difference(field, FairDraw.Number(expected), FairDraw.Number(actual));

    private static DrawVerification? Count(string field, int expected, int actual) =>
        expected == actual ? null : DrawVerification.Difference(field + ".length", FairDraw.Number(expected), FairDraw.Number(actual));

    private static DrawVerification? Prizes(IReadOnlyList<PrizeTier> expected, IReadOnlyList<PrizeTier> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var d = Text($"prizes[{i}].tier", expected[i].Tier, actual[i].Tier)
                ?? Number($"prizes[{i}].count", expected[i].Count, actual[i].Count);
            if (d is not null)
            {
                return d;
            }
        }

        return Count("prizes", expected.Count, actual.Count);
    }

    private static DrawVerification? Forfeited(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var d = Text($"forfeited[{i}]", expected[i], actual[i]);
            if (d is not null)
            {
                return d;
            }
        }

        return Count("forfeited", expected.Count, actual.Count);
    }

    private static DrawVerification? Winners(IReadOnlyList<DrawWinner> expected, IReadOnlyList<DrawWinner> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (e == a)
            {
                continue;
            }

            var d = Text($"winners[{i}].tier", e.Tier, a.Tier)
                ?? Number($"winners[{i}].slot", e.Slot, a.Slot)
                ?? Text($"winners[{i}].entry", e.Entry, a.Entry)
                ?? Number($"winners[{i}].ticket", e.Ticket, a.Ticket)
                ?? Text($"winners[{i}].replaces", e.Replaces, a.Replaces);
            if (d is not null)
            {
                return d;
            }
        }

        return Count("winners", expected.Count, actual.Count);
    }

    private static DrawVerification? Entries(IReadOnlyList<DrawEntry> expected, IReadOnlyList<DrawEntry> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            // Millions of entries: build a field path only for the difference.
            if (string.Equals(expected[i].Id, actual[i].Id, StringComparison.Ordinal) && expected[i].Weight == actual[i].Weight)
            {
                continue;
            }

            var d = Text($"entries[{i}].id", expected[i].Id, actual[i].Id)
                ?? Number($"entries[{i}].weight", expected[i].Weight, actual[i].Weight);
            if (d is not null)
            {
                return d;
            }
        }

        return Count("entries", expected.Count, actual.Count);
    }
}
