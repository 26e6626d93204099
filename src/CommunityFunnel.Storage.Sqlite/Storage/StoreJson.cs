using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Storage;

/// <summary>The JSON kept in the stores' document columns (enums by name, so a stored row reads on its own).</summary>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException($"The stored {what} is empty (JSON null).");

    public static string WriteDefinition(DrawDefinition d) => Write(new DefinitionDocument(
        d.DrawId, [.. d.Prizes], d.Schedule.ClosesAt, d.Schedule.ClosesAtEntries, d.MaxTicketsPerEntry, d.MaxEntries));

    public static DrawDefinition ReadDefinition(string json)
    {
        var d = Read<DefinitionDocument>(json, "draw definition");
        var schedule = d.ClosesAt is { } at ? DrawSchedule.At(at)
            : d.ClosesAtEntries is { } n ? DrawSchedule.WhenEntries(n)
            : DrawSchedule.Manual;
        return new DrawDefinition(d.DrawId, d.Prizes) { Schedule = schedule, MaxTicketsPerEntry = d.MaxTicketsPerEntry, MaxEntries = d.MaxEntries };
    }

    /// <summary>A draw's definition as stored (the schedule's factory methods are not serializable as they are).</summary>
    private sealed record DefinitionDocument(
        string DrawId, List<PrizeTier> Prizes, DateTimeOffset? ClosesAt, int? ClosesAtEntries, long MaxTicketsPerEntry, int? MaxEntries);
}
