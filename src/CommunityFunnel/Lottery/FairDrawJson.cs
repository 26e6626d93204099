using System.Text.Encodings.Web;
using System.Text.Json;

namespace CommunityFunnel.Lottery;

/// <summary>
/// Reads and writes fair-draw/v1 documents: the draw input, the proof (fields in spec section 8 order, lowercase
/// hex) and inclusion proofs. Reading is strict and bounded: a size cap checked before reading, a nesting limit,
/// unknown or repeated fields rejected, every error naming the field and the rule.
/// </summary>
public static class FairDrawJson
{
    /// <summary>The default size cap for a document read from a stream: 512 MiB.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>The deepest nesting a fair-draw/v1 document may have.</summary>
    public const int MaxDepth = 8;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Writes a proof document, fields in spec order.</summary>
    /// <param name="destination">Where to write (UTF-8).</param>
    /// <param name="proof">The proof.</param>
    public static void WriteProof(Stream destination, DrawProof proof)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(proof);
        using var w = new Utf8JsonWriter(destination, WriterOptions);
        w.WriteStartObject();
        w.WriteString("version", proof.Version);
        w.WriteString("drawId", proof.DrawId);
        w.WriteStartArray("prizes");
        foreach (var p in proof.Prizes)
        {
            w.WriteStartObject();
            w.WriteString("tier", p.Tier);
            w.WriteNumber("count", p.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("entryCount", proof.EntryCount);
        w.WriteNumber("totalWeight", proof.TotalWeight);
        w.WriteString("entriesRoot", proof.EntriesRoot);
        w.WriteString("commitment", proof.Commitment);
        w.WriteString("serverSeed", proof.ServerSeed);
        w.WriteString("publicEntropy", proof.PublicEntropy);
        if (proof.Drand is { } drand)
        {
            w.WriteStartObject("drand");
            w.WriteString("chain", drand.Chain);
            w.WriteNumber("round", drand.Round);
            w.WriteString("closedAt", DrandRules.Format(drand.ClosedAt));
            w.WriteString("randomness", drand.Randomness);
            if (drand.Signature is not null)
            {
                w.WriteString("signature", drand.Signature);
            }

            w.WriteEndObject();
        }

        WriteStrings(w, "forfeited", proof.Forfeited);
        w.WriteStartArray("winners");
        foreach (var winner in proof.Winners)
        {
            w.WriteStartObject();
            w.WriteString("tier", winner.Tier);
            w.WriteNumber("slot", winner.Slot);
            if (winner.Entry is null)
            {
                w.WriteNull("entry");
            }
            else
            {
                w.WriteString("entry", winner.Entry);
            }

            if (winner.Ticket is { } ticket)
            {
                w.WriteNumber("ticket", ticket);
            }
            else
            {
                w.WriteNull("ticket");
            }

            if (winner.Replaces is not null)
            {
                w.WriteString("replaces", winner.Replaces);
            }

            w.WriteEndObject();
            FlushIfLarge(w);
        }

        w.WriteEndArray();
        w.WriteStartArray("entries");
        foreach (var e in proof.Entries)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            w.WriteNumber("weight", e.Weight);
            w.WriteEndObject();
            FlushIfLarge(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The proof document as an indented JSON string.</summary>
    /// <param name="proof">The proof.</param>
    /// <returns>The JSON text.</returns>
    public static string ProofToJson(DrawProof proof)
    {
        using var buffer = new MemoryStream();
        WriteProof(buffer, proof);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, checked((int)buffer.Length));
    }

    /// <summary>Writes an inclusion proof: <c>{"entry","leafIndex","treeSize","path","root"}</c>.</summary>
    /// <param name="destination">Where to write (UTF-8).</param>
    /// <param name="inclusion">The inclusion proof.</param>
    public static void WriteInclusion(Stream destination, InclusionProof inclusion)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(inclusion);
        using var w = new Utf8JsonWriter(destination, WriterOptions);
        w.WriteStartObject();
        w.WriteString("entry", inclusion.Entry);
        w.WriteNumber("leafIndex", inclusion.LeafIndex);
        w.WriteNumber("treeSize", inclusion.TreeSize);
        WriteStrings(w, "path", inclusion.Path);
        w.WriteString("root", inclusion.Root);
        w.WriteEndObject();
    }

    /// <summary>Reads a proof document from a stream of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="source">The UTF-8 JSON.</param>
    /// <param name="maxBytes">The size cap; a larger document is rejected before it is read.</param>
    /// <returns>The proof, as stated (not yet verified).</returns>
    /// <exception cref="InvalidDataException">The document is larger than the cap.</exception>
    /// <exception cref="JsonException">The document is not well-formed, or a field is missing, repeated, unknown or of the wrong type.</exception>
    /// <exception cref="FormatException">A hex field is not hex.</exception>
    public static DrawProof ReadProof(Stream source, long maxBytes = DefaultMaxBytes) =>
        ReadProof(ReadCapped(source, maxBytes, "proof").Span);

    /// <summary>Reads a proof document from UTF-8 JSON bytes.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The proof, as stated (not yet verified).</returns>
    public static DrawProof ReadProof(ReadOnlySpan<byte> utf8Json)
    {
        var r = new Utf8JsonReader(utf8Json, ReaderOptions);
        return Guard("proof", ref r, static (ref Utf8JsonReader r) => JsonDocuments.ReadProof(ref r));
    }

    /// <summary>Reads a draw input <c>{"drawId","prizes","entries","serverSeed","publicEntropy","forfeited"}</c> from a stream.</summary>
    /// <param name="source">The UTF-8 JSON.</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <returns>The input (rules are checked by <see cref="FairDraw.Run"/>).</returns>
    public static DrawInput ReadInput(Stream source, long maxBytes = DefaultMaxBytes) =>
        ReadInput(ReadCapped(source, maxBytes, "input").Span);

    /// <summary>Reads a draw input from UTF-8 JSON bytes.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The input (rules are checked by <see cref="FairDraw.Run"/>).</returns>
    public static DrawInput ReadInput(ReadOnlySpan<byte> utf8Json)
    {
        var r = new Utf8JsonReader(utf8Json, ReaderOptions);
        return Guard("input", ref r, static (ref Utf8JsonReader r) => JsonDocuments.ReadInput(ref r));
    }

    /// <summary>Reads an inclusion proof <c>{"entry","leafIndex","treeSize","path","root"}</c> from a stream.</summary>
    /// <param name="source">The UTF-8 JSON.</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <returns>The inclusion proof.</returns>
    public static InclusionProof ReadInclusion(Stream source, long maxBytes = 1024 * 1024)
    {
        var bytes = ReadCapped(source, maxBytes, "inclusion proof");
        var r = new Utf8JsonReader(bytes.Span, ReaderOptions);
        return Guard("inclusion proof", ref r, static (ref Utf8JsonReader r) => JsonDocuments.ReadInclusion(ref r));
    }

    private delegate T Reader<T>(ref Utf8JsonReader reader);

    private static T Guard<T>(string what, ref Utf8JsonReader r, Reader<T> read)
    {
        try
        {
            return read(ref r);
        }
        catch (JsonException e) when (e.LineNumber is not null)
        {
            throw new JsonException($"{what}: malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's error for a string whose \u escapes are not valid UTF-16 (a lone surrogate).
            throw new JsonException($"{what}: the string at byte {r.TokenStartIndex + 1} has a \\u escape that is not valid UTF-16: {e.Message}", e);
        }
    }

    private static ReadOnlyMemory<byte> ReadCapped(Stream source, long maxBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (source.CanSeek)
        {
            var length = source.Length - source.Position;
            if (length > maxBytes)
            {
                throw new InvalidDataException($"{what}: the document is {length} bytes; the limit is {maxBytes} bytes (rule: size cap)");
            }
        }

        var cap = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        var buffer = new byte[source.CanSeek ? (int)Math.Min(source.Length - source.Position, cap) + 1 : Math.Min(cap + 1, 64 * 1024)];
        var used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                if (used > cap)
                {
                    throw new InvalidDataException($"{what}: the document is larger than the limit of {maxBytes} bytes (rule: size cap)");
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)cap + 1));
            }

            var read = source.Read(buffer, used, buffer.Length - used);
            if (read == 0)
            {
                break;
            }

            used += read;
            if (used > cap)
            {
                throw new InvalidDataException($"{what}: the document is larger than the limit of {maxBytes} bytes (rule: size cap)");
            }
        }

        return buffer.AsMemory(0, used);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void FlushIfLarge(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > 64 * 1024)
        {
            writer.Flush();
        }
    }
}
