using System.Text.Json;

namespace CommunityFunnel.Lottery;

/// <summary>Strict, allocation-light readers of the fair-draw/v1 JSON documents over a <see cref="Utf8JsonReader"/>.</summary>
internal static class JsonDocuments
{
    public static DrawProof ReadProof(ref Utf8JsonReader r)
    {
        string? version = null, drawId = null, root = null, commitment = null, seed = null, entropy = null;
        List<PrizeTier>? prizes = null;
        List<string>? forfeited = null;
        List<DrawWinner>? winners = null;
        List<DrawEntry>? entries = null;
        long? entryCount = null, totalWeight = null;
        DrandBeacon? drand = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        StartObject(ref r, "proof");
        while (NextProperty(ref r, "proof", seen) is { } name)
        {
            switch (name)
            {
                case "version": version = ReadString(ref r, name); break;
                case "drawId": drawId = ReadString(ref r, name); break;
                case "prizes": prizes = ReadPrizes(ref r, null); break;
                case "entryCount": entryCount = ReadInt64(ref r, name); break;
                case "totalWeight": totalWeight = ReadInt64(ref r, name); break;
                case "entriesRoot": root = ReadHexText(ref r, name); break;
                case "commitment": commitment = ReadHexText(ref r, name); break;
                case "serverSeed": seed = ReadHexText(ref r, name); break;
                case "publicEntropy": entropy = ReadHexText(ref r, name); break;
                case "drand": drand = ReadDrand(ref r); break;
                case "forfeited": forfeited = ReadStrings(ref r, name); break;
                case "winners": winners = ReadWinners(ref r); break;
                case "entries": entries = ReadEntries(ref r, null); break;
                default: throw Unknown("proof", name);
            }
        }

        EndDocument(ref r, "proof");
        return new DrawProof
        {
            Version = version ?? throw Missing("proof", "version"),
            DrawId = drawId ?? throw Missing("proof", "drawId"),
            Prizes = prizes ?? throw Missing("proof", "prizes"),
            EntryCount = entryCount ?? throw Missing("proof", "entryCount"),
            TotalWeight = totalWeight ?? throw Missing("proof", "totalWeight"),
            EntriesRoot = root ?? throw Missing("proof", "entriesRoot"),
            Commitment = commitment ?? throw Missing("proof", "commitment"),
            ServerSeed = seed ?? throw Missing("proof", "serverSeed"),
            PublicEntropy = entropy ?? throw Missing("proof", "publicEntropy"),
            Drand = drand,
            Forfeited = forfeited ?? throw Missing("proof", "forfeited"),
            Winners = winners ?? throw Missing("proof", "winners"),
            Entries = entries ?? throw Missing("proof", "entries"),
        };
    }

    /// <summary>
    /// Reads a draw input, collecting every problem of a field or an entry (wrong type, unknown, repeated or missing
    /// field, bad hex) before it fails, in one <see cref="JsonException"/>; broken JSON still stops at once.
    /// </summary>
    public static DrawInput ReadInput(ref Utf8JsonReader r)
    {
        string? drawId = null, seed = null, entropy = null;
        List<PrizeTier>? prizes = null;
        List<DrawEntry>? entries = null;
        List<string>? forfeited = null;
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        StartObject(ref r, "input");
        while (true)
        {
            try
            {
                if (NextProperty(ref r, "input", seen) is not { } name)
                {
                    break;
                }

                switch (name)
                {
                    case "drawId": drawId = ReadString(ref r, name); break;
                    case "prizes": prizes = ReadPrizes(ref r, errors); break;
                    case "entries": entries = ReadEntries(ref r, errors); break;
                    case "serverSeed": seed = ReadHexText(ref r, name); break;
                    case "publicEntropy": entropy = ReadHexText(ref r, name); break;
                    case "forfeited":
                        r.Read();
                        forfeited = r.TokenType == JsonTokenType.Null ? [] : ReadStringsAfterStart(ref r, name);
                        break;
                    default: throw Unknown("input", name);
                }
            }
            catch (Exception e) when (IsFieldProblem(e))
            {
                errors.Add(e.Message);
                SkipRest(ref r, depth: 1);
            }
        }

        EndDocument(ref r, "input");
        foreach (var (name, value) in new (string, object?)[] { ("drawId", drawId), ("prizes", prizes), ("entries", entries), ("serverSeed", seed), ("publicEntropy", entropy) })
        {
            if (value is null && !errors.Exists(e => e.StartsWith(name, StringComparison.Ordinal)))
            {
                errors.Add(Missing("input", name).Message);
            }
        }

        if (errors.Count > 0)
        {
            const int Shown = 100; // a million bad entries make no readable message
            throw new JsonException(string.Join("; ", errors.Take(Shown))
                + (errors.Count > Shown ? $"; and {errors.Count - Shown} more problems" : string.Empty));
        }

        return new DrawInput(drawId!, prizes!, entries!, Hex.Decode(seed!, "serverSeed"), Hex.Decode(entropy!, "publicEntropy"), forfeited);
    }

    /// <summary>A problem of one field or item, after which the reader can go on; broken JSON (with a line number) is not.</summary>
    private static bool IsFieldProblem(Exception e) => e is FormatException or JsonException { LineNumber: null };

    /// <summary>Moves the reader past the rest of the value it is in, back to a token at <paramref name="depth"/>.</summary>
    private static void SkipRest(ref Utf8JsonReader r, int depth)
    {
        if (r.TokenType == JsonTokenType.PropertyName)
        {
            r.Read();
        }

        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            r.Skip();
        }

        while (r.CurrentDepth > depth)
        {
            r.Read();
        }
    }

    public static InclusionProof ReadInclusion(ref Utf8JsonReader r)
    {
        string? entry = null, root = null;
        long? leafIndex = null, treeSize = null;
        List<string>? path = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        StartObject(ref r, "inclusion");
        while (NextProperty(ref r, "inclusion", seen) is { } name)
        {
            switch (name)
            {
                case "entry": entry = ReadString(ref r, name); break;
                case "leafIndex": leafIndex = ReadInt64(ref r, name); break;
                case "treeSize": treeSize = ReadInt64(ref r, name); break;
                case "path":
                    path = ReadStrings(ref r, name);
                    for (var i = 0; i < path.Count; i++)
                    {
                        CheckHex(path[i], $"path[{i}]");
                    }

                    break;
                case "root": root = ReadHexText(ref r, name); break;
                default: throw Unknown("inclusion", name);
            }
        }

        EndDocument(ref r, "inclusion");
        return new InclusionProof(
            entry ?? throw Missing("inclusion", "entry"),
            leafIndex ?? throw Missing("inclusion", "leafIndex"),
            treeSize ?? throw Missing("inclusion", "treeSize"),
            path ?? throw Missing("inclusion", "path"),
            root ?? throw Missing("inclusion", "root"));
    }

    /// <summary>The prize tiers; with <paramref name="errors"/>, a bad tier is recorded and the next one read.</summary>
    private static List<PrizeTier> ReadPrizes(ref Utf8JsonReader r, List<string>? errors)
    {
        var list = new List<PrizeTier>();
        StartArray(ref r, "prizes");
        var itemDepth = r.CurrentDepth + 1;
        for (var index = 0; NextItem(ref r); index++)
        {
            var field = $"prizes[{index}]";
            try
            {
                ExpectCurrent(ref r, JsonTokenType.StartObject, field);
                string? tier = null;
                int? count = null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (NextProperty(ref r, field, seen) is { } name)
                {
                    switch (name)
                    {
                        case "tier": tier = ReadString(ref r, field + ".tier"); break;
                        case "count": count = checked((int)ReadInt64(ref r, field + ".count", int.MinValue, int.MaxValue)); break;
                        default: throw Unknown(field, name);
                    }
                }

                list.Add(new PrizeTier(tier ?? throw Missing(field, "tier"), count ?? throw Missing(field, "count")));
            }
            catch (Exception e) when (errors is not null && IsFieldProblem(e))
            {
                errors.Add(e.Message);
                SkipRest(ref r, itemDepth);
            }
        }

        return list;
    }

    /// <summary>The entries; with <paramref name="errors"/>, a bad entry is recorded and the next one read.</summary>
    private static List<DrawEntry> ReadEntries(ref Utf8JsonReader r, List<string>? errors)
    {
        var list = new List<DrawEntry>();
        StartArray(ref r, "entries");
        var itemDepth = r.CurrentDepth + 1;
        for (var index = 0; NextItem(ref r); index++)
        {
            try
            {
                ExpectCurrent(ref r, JsonTokenType.StartObject, Field("entries", index));
                string? id = null;
                long? weight = null;
                while (NextPropertyFast(ref r, "entries", index) is { } name)
                {
                    if (name == 0 && id is null)
                    {
                        id = ReadString(ref r, Field("entries", index) + ".id");
                    }
                    else if (name == 1 && weight is null)
                    {
                        weight = ReadInt64(ref r, Field("entries", index) + ".weight");
                    }
                    else
                    {
                        throw new JsonException($"{Field("entries", index)}: the field '{(name == 0 ? "id" : "weight")}' appears twice");
                    }
                }

                list.Add(new DrawEntry(id ?? throw Missing(Field("entries", index), "id"), weight ?? throw Missing(Field("entries", index), "weight")));
            }
            catch (Exception e) when (errors is not null && IsFieldProblem(e))
            {
                errors.Add(e.Message);
                SkipRest(ref r, itemDepth);
            }
        }

        return list;
    }

    private static List<DrawWinner> ReadWinners(ref Utf8JsonReader r)
    {
        var list = new List<DrawWinner>();
        StartArray(ref r, "winners");
        while (NextItem(ref r))
        {
            var field = $"winners[{list.Count}]";
            ExpectCurrent(ref r, JsonTokenType.StartObject, field);
            string? tier = null, entry = null, replaces = null;
            long? slot = null, ticket = null;
            bool hasEntry = false, hasTicket = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextProperty(ref r, field, seen) is { } name)
            {
                switch (name)
                {
                    case "tier": tier = ReadString(ref r, field + ".tier"); break;
                    case "slot": slot = ReadInt64(ref r, field + ".slot", 0, int.MaxValue); break;
                    case "entry": entry = ReadNullableString(ref r, field + ".entry"); hasEntry = true; break;
                    case "ticket":
                        r.Read();
                        ticket = r.TokenType == JsonTokenType.Null ? null : CurrentInt64(ref r, field + ".ticket", long.MinValue, long.MaxValue);
                        hasTicket = true;
                        break;
                    case "replaces": replaces = ReadString(ref r, field + ".replaces"); break;
                    default: throw Unknown(field, name);
                }
            }

            if (!hasEntry)
            {
                throw Missing(field, "entry");
            }

            if (!hasTicket)
            {
                throw Missing(field, "ticket");
            }

            list.Add(new DrawWinner(
                tier ?? throw Missing(field, "tier"), (int)(slot ?? throw Missing(field, "slot")), entry, ticket, replaces));
        }

        return list;
    }

    /// <summary>
    /// A fair-draw/v1.1 <c>drand</c> object. Only the shape is checked here (the closedAt format included); chain,
    /// round and randomness are checked by the verifier, so that a changed one is named as a difference.
    /// </summary>
    private static DrandBeacon ReadDrand(ref Utf8JsonReader r)
    {
        const string Object = "drand";
        r.Read();
        ExpectCurrent(ref r, JsonTokenType.StartObject, Object);
        string? chain = null, closedAt = null, randomness = null, signature = null;
        long? round = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextProperty(ref r, Object, seen) is { } name)
        {
            var field = "drand." + name;
            switch (name)
            {
                case "chain": chain = ReadString(ref r, field); break;
                case "round": round = ReadInt64(ref r, field); break;
                case "closedAt": closedAt = ReadString(ref r, field); break;
                case "randomness": randomness = ReadString(ref r, field); break;
                case "signature": signature = ReadNullableString(ref r, field); break;
                default: throw Unknown(Object, name);
            }
        }

        if (!DrandRules.TryParse(closedAt ?? throw Missing(Object, "closedAt"), out var closed))
        {
            throw new JsonException($"drand.closedAt: '{Hex.Shorten(closedAt)}' is not a UTC instant (rule: yyyy-MM-ddTHH:mm:ss[.fffffff]Z)");
        }

        return new DrandBeacon(
            chain ?? throw Missing(Object, "chain"),
            round ?? throw Missing(Object, "round"),
            closed,
            randomness ?? throw Missing(Object, "randomness"),
            signature);
    }

    private static string Field(string array, int index) => $"{array}[{index}]";

    private static void StartObject(ref Utf8JsonReader r, string field)
    {
        if (!r.Read())
        {
            throw new JsonException($"{field}: the document is empty");
        }

        ExpectCurrent(ref r, JsonTokenType.StartObject, field);
    }

    private static void StartArray(ref Utf8JsonReader r, string field)
    {
        r.Read();
        ExpectCurrent(ref r, JsonTokenType.StartArray, field);
    }

    private static void EndDocument(ref Utf8JsonReader r, string field)
    {
        if (r.Read())
        {
            throw new JsonException($"{field}: unexpected content after the document");
        }
    }

    private static void ExpectCurrent(ref Utf8JsonReader r, JsonTokenType type, string field)
    {
        if (r.TokenType != type)
        {
            throw new JsonException($"{field}: expected {Describe(type)}, found {Describe(r.TokenType)}");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    /// <summary>Moves to the next item of an array; false at its end.</summary>
    private static bool NextItem(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType != JsonTokenType.EndArray;
    }

    private static string? NextProperty(ref Utf8JsonReader r, string field, HashSet<string> seen)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        var name = r.GetString()!;
        if (!seen.Add(name))
        {
            throw new JsonException($"{field}: the field '{name}' appears twice");
        }

        return name;
    }

    /// <summary>For entries (millions of them): 0 for <c>id</c>, 1 for <c>weight</c>, without allocating the name.</summary>
    private static int? NextPropertyFast(ref Utf8JsonReader r, string array, int index)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        if (r.ValueTextEquals("id"u8))
        {
            return 0;
        }

        if (r.ValueTextEquals("weight"u8))
        {
            return 1;
        }

        throw Unknown(Field(array, index), r.GetString()!);
    }

    private static string ReadString(ref Utf8JsonReader r, string field)
    {
        r.Read();
        ExpectCurrent(ref r, JsonTokenType.String, field);
        return CurrentString(ref r, field);
    }

    private static string? ReadNullableString(ref Utf8JsonReader r, string field)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectCurrent(ref r, JsonTokenType.String, field);
        return CurrentString(ref r, field);
    }

    private static string CurrentString(ref Utf8JsonReader r, string field)
    {
        try
        {
            return r.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException($"{field}: the string is not valid Unicode (a lone surrogate); rule: strings are valid Unicode", e);
        }
    }

    private static List<string> ReadStrings(ref Utf8JsonReader r, string field)
    {
        r.Read();
        return ReadStringsAfterStart(ref r, field);
    }

    private static List<string> ReadStringsAfterStart(ref Utf8JsonReader r, string field)
    {
        ExpectCurrent(ref r, JsonTokenType.StartArray, field);
        var list = new List<string>();
        while (NextItem(ref r))
        {
            var item = $"{field}[{list.Count}]";
            ExpectCurrent(ref r, JsonTokenType.String, item);
            list.Add(CurrentString(ref r, item));
        }

        return list;
    }

    private static string ReadHexText(ref Utf8JsonReader r, string field)
    {
        var text = ReadString(ref r, field);
        CheckHex(text, field);
        return text;
    }

    private static void CheckHex(string text, string field)
    {
        if (!Hex.TryDecode(text, out _))
        {
            throw new FormatException($"{field}: '{Hex.Shorten(text)}' is not hex (rule: an even number of the digits 0-9a-f)");
        }
    }

    private static long ReadInt64(ref Utf8JsonReader r, string field, long min = long.MinValue, long max = long.MaxValue)
    {
        r.Read();
        return CurrentInt64(ref r, field, min, max);
    }

    private static long CurrentInt64(ref Utf8JsonReader r, string field, long min, long max)
    {
        ExpectCurrent(ref r, JsonTokenType.Number, field);
        if (!r.TryGetInt64(out var value) || value < min || value > max)
        {
            var raw = System.Text.Encoding.UTF8.GetString(r.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(r.ValueSequence) : r.ValueSpan);
            throw new JsonException($"{field}: {Hex.Shorten(raw)} is not a whole number from {min} to {max}");
        }

        return value;
    }

    private static JsonException Missing(string field, string name) => new($"{field}: the required field '{name}' is missing");

    private static JsonException Unknown(string field, string name) =>
        new($"{field}: unknown field '{Hex.Shorten(name)}'");
}
