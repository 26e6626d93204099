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
