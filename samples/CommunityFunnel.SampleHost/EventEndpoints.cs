using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;
using Microsoft.AspNetCore.Http.Features;
using CommunityFunnel.Hosting;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// <c>POST /events</c>: a body of event-log/v1 JSON Lines, or one JSON object (<c>Content-Type: application/json</c>),
/// read with the library's <see cref="EventLogReader"/>. Every line is parsed before anything is submitted, so a bad
/// line answers 400 (ProblemDetails with <c>line</c> and <c>rule</c>) and submits nothing of the body; then each event
/// goes through <see cref="IEventIntake.SubmitAsync"/> in body order, and the 200 answer comes only after every event is
/// stored.
/// </summary>
public static class EventEndpoints
{
    /// <summary>The largest body taken (bytes): 32 MiB.</summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    /// <summary>Maps <c>POST /events</c>.</summary>
    /// <param name="app">The endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", PostAsync);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpRequest request, IEventIntake intake, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;   // Kestrel's default (about 28.6 MiB) would refuse a large batch first
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            try
            {
                await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                    detail: $"At most {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes; split the batch. Nothing of it was submitted.");
            }

            body = buffer.ToArray();
        }

        if (IsJson(request.ContentType) && OneJsonValue(body) is { } line)
        {
            body = line; // one (possibly pretty-printed) JSON object: its compact form is one line of event-log/v1
        }

        List<CommunityEvent> events;
        try
        {
            // Duplicates within the body are kept: the intake reports them (the store decides, as for redeliveries).
            var reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = false });
            using var stream = new MemoryStream(body, writable: false);
            events = [.. reader.Read(stream)];
        }
        catch (EventLogException e)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed event-log/v1 line",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["line"] = e.LineNumber, ["rule"] = e.Rule.ToString(), ["submitted"] = 0 });
        }

        var applied = 0;
        var duplicates = 0;
        var actions = 0;
        foreach (var e in events)
        {
            // A client that went away gets no answer and delivers again; stop between events, never inside one: an event
            // cancelled after its append but before its apply is a duplicate when redelivered and waits for the
            // scheduler's recovery (RecoveryDelay, and only where a scheduler runs), so each submission runs to its end.
            cancellationToken.ThrowIfCancellationRequested();
            var result = await intake.SubmitAsync(e, CancellationToken.None).ConfigureAwait(false);
            if (result.Outcome == EventIntakeOutcome.Applied)
            {
                applied++;
                actions += result.Actions.Count;
            }
            else
            {
                duplicates++;
            }
        }

        return Results.Ok(new EventsAccepted(applied, duplicates, actions));
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The compact form of <paramref name="body"/> when it is exactly one JSON value, else null (then it is read as JSON Lines).</summary>
    private static byte[]? OneJsonValue(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            using var compact = new MemoryStream();
            using (var writer = new Utf8JsonWriter(compact))
            {
                document.RootElement.WriteTo(writer);
            }

            return compact.ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The answer of <c>POST /events</c>.</summary>
/// <param name="Applied">Events stored and applied now.</param>
/// <param name="Duplicates">Events whose id was stored before (a redelivery): nothing changed.</param>
/// <param name="Actions">Actions the applied events decided (delivered through the outbox).</param>
public sealed record EventsAccepted(int Applied, int Duplicates, int Actions);
