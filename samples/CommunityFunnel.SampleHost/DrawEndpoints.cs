using System.Text.Json;
using CommunityFunnel.Lottery;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// The draw endpoints over <see cref="IDrawService"/>: <c>POST /draws</c> creates a draw and opens it for entries,
/// <c>POST /draws/{id}/entries</c> enters, <c>POST /draws/{id}/advance</c> applies the schedule (close when due, entropy,
/// draw), <c>POST /draws/{id}/entropy</c> supplies public entropy by hand, <c>GET /draws/{id}</c> is the record and
/// <c>GET /draws/{id}/proof</c> the fair-draw/v1 proof exactly as <see cref="FairDrawJson"/> writes it (what
/// <c>community-funnel draw verify</c> checks). A call in the wrong state answers 409, bad input 400, an unknown draw 404.
/// </summary>
public static class DrawEndpoints
{
    /// <summary>Maps the draw endpoints.</summary>
    /// <param name="app">The endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapDrawEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/draws", CreateAsync);
        app.MapGet("/draws/{id}", async (string id, IDrawService draws, CancellationToken ct) =>
            await draws.GetAsync(id, ct).ConfigureAwait(false) is { } record ? Results.Ok(record) : UnknownDraw(id));
        app.MapGet("/draws/{id}/proof", ProofAsync);
        app.MapPost("/draws/{id}/advance", (string id, IDrawService draws, CancellationToken ct) =>
            OnDrawAsync(id, draws, ct, async () => Results.Ok(await draws.AdvanceAsync(id, ct).ConfigureAwait(false))));
        app.MapPost("/draws/{id}/entries", EnterAsync);
        app.MapPost("/draws/{id}/entropy", EntropyAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IDrawService draws, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync<DrawRequest>(request, json, ct).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        if (string.IsNullOrEmpty(body.DrawId))
        {
            return BadInput("drawId", "drawId is required.");
        }

        if (body.Prizes is not { Count: > 0 } prizes)
        {
            return BadInput("prizes", "prizes must list at least one tier, e.g. [{\"tier\": \"first\", \"count\": 1}].");
        }

        var schedule = DrawSchedule.Manual;
        if (body.ClosesAt is not null && body.ClosesAtEntries is not null)
        {
            return BadInput("closesAt", "give closesAt or closesAtEntries, not both.");
        }

        if (body.ClosesAt is not null)
        {
            if (!Instants.TryParse(body.ClosesAt, out var closesAt))
            {
                return BadInput("closesAt", $"'{body.ClosesAt}' is not an ISO-8601 instant with an offset.");
            }

            schedule = DrawSchedule.At(closesAt);
        }
        else if (body.ClosesAtEntries is { } entries)
        {
            if (entries < 1)
            {
                return BadInput("closesAtEntries", "closesAtEntries must be at least 1.");
            }

            schedule = DrawSchedule.WhenEntries(entries);
        }

        var definition = new DrawDefinition(body.DrawId, prizes)
        {
            Schedule = schedule,
            MaxTicketsPerEntry = body.MaxTicketsPerEntry ?? uint.MaxValue,
            MaxEntries = body.MaxEntries,
        };
        return await GuardAsync(async () =>
        {
            await draws.CreateAsync(definition, ct).ConfigureAwait(false);
            var opened = await draws.OpenAsync(body.DrawId, ct).ConfigureAwait(false);
            return Results.Created($"/draws/{Uri.EscapeDataString(body.DrawId)}", opened);
        }).ConfigureAwait(false);
    }

    private static Task<IResult> ProofAsync(string id, IDrawService draws, CancellationToken ct) =>
        OnDrawAsync(id, draws, ct, async () =>
        {
            var record = (await draws.GetAsync(id, ct).ConfigureAwait(false))!;
            if (record.Proof is not { } proof)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Not drawn yet",
                    detail: $"Draw '{id}' is {record.State}; its proof is published when it is drawn.",
                    extensions: new Dictionary<string, object?> { ["state"] = record.State.ToString() });
            }

            return Results.Text(FairDrawJson.ProofToJson(proof), "application/json", System.Text.Encoding.UTF8);
        });

    private static async Task<IResult> EnterAsync(string id, HttpRequest request, IDrawService draws, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync<EntryRequest>(request, json, ct).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        if (string.IsNullOrEmpty(body.Entry))
        {
            return BadInput("entry", "entry (the entry's id) is required.");
        }

        return await OnDrawAsync(id, draws, ct, async () =>
            Results.Ok(await draws.EnterAsync(id, body.Entry, body.Tickets ?? 1, ct).ConfigureAwait(false))).ConfigureAwait(false);
    }

    private static async Task<IResult> EntropyAsync(string id, HttpRequest request, IDrawService draws, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync<EntropyRequest>(request, json, ct).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(body.Hex ?? string.Empty);
        }
        catch (FormatException)
        {
            return BadInput("hex", "hex must be the entropy's bytes as hex.");
        }

        return await OnDrawAsync(id, draws, ct, async () =>
            Results.Ok(await draws.SupplyEntropyAsync(id, bytes, ct).ConfigureAwait(false))).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> on an existing draw: 404 when there is none, otherwise as <see cref="GuardAsync"/>.</summary>
    private static async Task<IResult> OnDrawAsync(string id, IDrawService draws, CancellationToken ct, Func<Task<IResult>> action) =>
        await draws.GetAsync(id, ct).ConfigureAwait(false) is null ? UnknownDraw(id) : await GuardAsync(action).ConfigureAwait(false);

    /// <summary>The library's refusals as HTTP answers: a call in the wrong state is 409, bad input 400.</summary>
    private static async Task<IResult> GuardAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (DrawLifecycleException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the draw's state", detail: e.Message);
        }
        catch (PublicEntropyNotYetException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Public entropy not published yet", detail: e.Message);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad draw input", detail: e.Message);
        }
    }

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, IOptions<JsonOptions> json, CancellationToken ct)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, json.Value.SerializerOptions, ct).ConfigureAwait(false);
            return body is null ? (null, BadInput("body", "the body must be a JSON object.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, BadInput("body", "the body is not valid JSON for this call: " + e.Message));
        }
    }

    private static IResult BadInput(string field, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Bad field '{field}'", detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static IResult UnknownDraw(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown draw", detail: $"No draw has the id '{id}'.");
}

/// <summary>The body of <c>POST /draws</c>.</summary>
/// <param name="DrawId">The draw's id.</param>
/// <param name="Prizes">The prize tiers in draw order.</param>
/// <param name="ClosesAt">When the entries close by themselves (ISO-8601 with an offset), or null.</param>
/// <param name="ClosesAtEntries">The entry count at which they close, or null.</param>
/// <param name="MaxTicketsPerEntry">The most tickets one entry may hold, or null for the library's default.</param>
/// <param name="MaxEntries">The most entries, or null for the configured maximum.</param>
public sealed record DrawRequest(string? DrawId, IReadOnlyList<PrizeTier>? Prizes, string? ClosesAt, int? ClosesAtEntries, long? MaxTicketsPerEntry, int? MaxEntries);

/// <summary>The body of <c>POST /draws/{id}/entries</c>.</summary>
/// <param name="Entry">The entry's id (e.g. the member id).</param>
/// <param name="Tickets">Its tickets (default 1).</param>
public sealed record EntryRequest(string? Entry, long? Tickets);

/// <summary>The body of <c>POST /draws/{id}/entropy</c>.</summary>
/// <param name="Hex">The public entropy as hex (0 to 4096 bytes), fixed after the close.</param>
public sealed record EntropyRequest(string? Hex);
