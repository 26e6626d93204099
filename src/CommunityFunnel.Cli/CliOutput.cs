using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli;

/// <summary>Writes command results: JSON (indented, non-ASCII kept readable) or a plain text table.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads <c>--format json|table</c> (default json).</summary>
    public static bool WantsTable(CliArguments args) => args.OptionalChoice("format", "json", "table") == "table";

    public static void WriteJson(TextWriter output, JsonNode node)
    {
        output.WriteLine(node.ToJsonString(Json));
    }

    /// <summary>
    /// Writes JSON to <paramref name="output"/> as it is built, in the shape <see cref="WriteJson"/> gives (indented,
    /// non-ASCII kept readable), in pieces of about 64 KiB instead of one string: for output that grows with the log.
    /// Call <see cref="JsonPieces.Pace"/> between values; the caller writes the line end after disposing it.
    /// </summary>
    public static JsonPieces StreamJson(TextWriter output) =>
        new(bytes => output.Write(System.Text.Encoding.UTF8.GetString(bytes)), new JsonWriterOptions { Indented = true, Encoder = Json.Encoder });

    /// <summary>
    /// A <see cref="Utf8JsonWriter"/> whose bytes go to a sink about 64 KiB at a time, for the CLI's streamed report
    /// (<see cref="StreamJson"/>) and its JSON Lines files alike.
    /// </summary>
    internal sealed class JsonPieces : IDisposable
    {
        private const int Piece = 1 << 16;
        private readonly Sink _sink;
        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(Piece * 2);

        public JsonPieces(Sink sink, JsonWriterOptions options)
        {
            _sink = sink;
            Writer = new Utf8JsonWriter(_buffer, options);
        }

        /// <summary>Where the bytes go.</summary>
        public delegate void Sink(ReadOnlySpan<byte> bytes);

        public Utf8JsonWriter Writer { get; }

        /// <summary>Hands what is written so far on to the sink once it is a piece long.</summary>
        public void Pace()
        {
            if (Writer.BytesPending + _buffer.WrittenCount >= Piece)
            {
                Drain();
            }
        }

        /// <summary>Ends the top-level value just written with <c>\n</c>: the next one starts a new line, with no separator.</summary>
        public void EndLine()
        {
            Writer.Flush();
            Writer.Reset();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            Pace();
        }

        /// <summary>Forgets what is not handed on yet.</summary>
        public void Discard()
        {
            Writer.Reset();
            _buffer.ResetWrittenCount();
        }

        /// <summary>Hands the rest on.</summary>
        public void Dispose()
        {
            Drain();
            Writer.Dispose();
        }

        private void Drain()
        {
            Writer.Flush(); // whole tokens only, so the bytes end on a character boundary
            _sink(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Writes rows as aligned columns; the first row is the header.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
            if (r == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
