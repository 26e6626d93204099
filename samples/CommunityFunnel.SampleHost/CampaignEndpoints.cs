using System.Text.Json;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// What a host developer looks at to follow the campaign loop (<c>CommunityFunnel:Campaign</c>): <c>GET /campaign</c>
/// (the templates, every draw the ledger's tickets name with its state, entries and prizes), <c>GET /campaign/actions</c>
/// (what the campaign handler got), <c>GET /ledger</c> (the reward ledger, by member or draw), <c>GET /draws/{id}/entries</c>
/// (a draw's entries as stored) and <c>POST /draws/{id}/claim</c> (a winner claims a prize of a template with a claim
/// period). Without a campaign file the campaign endpoints answer 404.
/// </summary>
public static class CampaignEndpoints
{
    /// <summary>Maps the campaign endpoints.</summary>
    /// <param name="app">The endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/campaign", OverviewAsync);
        app.MapGet("/campaign/actions", (HttpContext context) =>
            context.RequestServices.GetServices<Hosting.ICampaignActionHandler>().OfType<CampaignActionLog>().FirstOrDefault() is { } log ? Results.Ok(log.Actions) : NoCampaign());
        app.MapGet("/ledger", LedgerAsync);
        app.MapGet("/draws/{id}/entries", async (string id, IDrawStore store, IDrawService draws, CancellationToken ct) =>
            await draws.GetAsync(id, ct).ConfigureAwait(false) is null
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown draw", detail: $"No draw has the id '{id}'.")
                : Results.Ok((await store.GetEntriesAsync(id, ct).ConfigureAwait(false)).Select(e => new CampaignEntry(e.Id, e.Weight))));
        app.MapPost("/draws/{id}/claim", ClaimAsync);
        return app;
    }

    private static async Task<IResult> OverviewAsync(HttpContext context, IRewardLedger ledger, IDrawService draws, CancellationToken ct)
    {
        if (context.RequestServices.GetService<IDrawCampaign>() is not { } campaign)
        {
            return NoCampaign();
        }

        var file = context.RequestServices.GetRequiredService<LoadedCampaign>();
        var entries = await ledger.GetEntriesAsync(ct).ConfigureAwait(false);
        var overview = new List<CampaignDraw>();
        foreach (var drawId in RewardDraws.DrawIds(entries))
        {
            var record = await draws.GetAsync(drawId, ct).ConfigureAwait(false);
            var ledgerTickets = RewardDraws.EntriesFor(entries, drawId);
            var prizes = entries
                .Where(e => e.Kind == RewardEntryKind.Grant && string.Equals(e.RuleId, drawId, StringComparison.Ordinal))
                .Select(e => new CampaignPrize(e.Key, e.Member, e.Rewards.Count > 0 ? e.Rewards[0] : null, entries.Any(r => r.Reverses == e.Key)))
                .ToList();
            overview.Add(new CampaignDraw(
                drawId,
                campaign.FindTemplate(drawId)?.Id,
                record?.State,
                record?.ClosedAt,
                record?.EntryCount ?? 0,
                record?.TotalWeight ?? 0,
                ledgerTickets.Count,
                ledgerTickets.Sum(e => e.Weight),
                record?.Proof?.Winners ?? [],
                record?.Proof?.Forfeited ?? [],
                prizes));
        }

        return Results.Ok(new CampaignOverview(file.Path, campaign.Templates, overview));
    }

    private static async Task<IResult> LedgerAsync(string? member, string? draw, IRewardLedger ledger, CancellationToken ct)
    {
        IEnumerable<RewardLedgerEntry> entries = await ledger.GetEntriesAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(member))
        {
            entries = entries.Where(e => string.Equals(e.Member, member, StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(draw))
        {
            var all = entries.ToList();
            var keys = all.Where(e => string.Equals(e.RuleId, draw, StringComparison.Ordinal)
                    || e.Rewards.Any(r => string.Equals(r.Draw, draw, StringComparison.Ordinal)))
                .Select(e => e.Key)
                .ToHashSet(StringComparer.Ordinal);
            entries = all.Where(e => keys.Contains(e.Key) || (e.Reverses is { } reversed && keys.Contains(reversed)));
        }

        return Results.Ok(entries.Select(e => new LedgerLine(e.Key, e.Member, e.Kind, e.RuleId, e.At, e.EventId, e.Rewards, e.Reverses, e.Refusal)));
    }

    private static async Task<IResult> ClaimAsync(string id, HttpRequest request, IOptions<JsonOptions> json, TimeProvider time, CancellationToken ct)
    {
        if (request.HttpContext.RequestServices.GetService<IDrawCampaign>() is not { } campaign)
        {
            return NoCampaign();
        }

        ClaimRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ClaimRequest>(request.Body, json.Value.SerializerOptions, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad field 'body'", detail: "the body is not valid JSON for this call: " + e.Message,
                extensions: new Dictionary<string, object?> { ["field"] = "body" });
        }

        if (body?.Member is not { Length: > 0 } member)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad field 'member'", detail: "member (the winner's id) is required.",
                extensions: new Dictionary<string, object?> { ["field"] = "member" });
        }

        return await campaign.ClaimAsync(id, member, time.GetUtcNow(), ct).ConfigureAwait(false) is { } claimed
            ? Results.Ok(claimed)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to claim",
                detail: $"'{member}' holds no claimable prize of '{id}': not a current winner, already granted, past the deadline, or the draw is not drawn.");
    }

    private static IResult NoCampaign() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No campaign", detail: "This host runs no campaign: set CommunityFunnel:Campaign to a campaign file.");
}

/// <summary>The answer of <c>GET /campaign</c>.</summary>
/// <param name="File">The campaign file.</param>
/// <param name="Templates">Its draw templates.</param>
/// <param name="Draws">Every draw the ledger's tickets name, in id order.</param>
public sealed record CampaignOverview(string File, IReadOnlyList<DrawTemplate> Templates, IReadOnlyList<CampaignDraw> Draws);

/// <summary>One draw of the campaign.</summary>
/// <param name="DrawId">Its id.</param>
/// <param name="Template">The template it is an instance of, or null when none matches.</param>
/// <param name="State">Its state, or null before it is created (its period has not opened, or the first scheduler tick has not run).</param>
/// <param name="ClosedAt">When it closed.</param>
/// <param name="Entries">Its entries when it closed (0 while open).</param>
/// <param name="Tickets">Their tickets when it closed (0 while open).</param>
/// <param name="LedgerMembers">Members holding net tickets for it in the ledger.</param>
/// <param name="LedgerTickets">Their net tickets (grants less reversals, refusals included).</param>
/// <param name="Winners">The proof's winners in draw order, replacements after the winners they replace.</param>
/// <param name="Forfeited">The forfeited winners.</param>
/// <param name="Prizes">The prize grants in the ledger whose source is this draw.</param>
public sealed record CampaignDraw(
    string DrawId,
    string? Template,
    DrawState? State,
    DateTimeOffset? ClosedAt,
    int Entries,
    long Tickets,
    int LedgerMembers,
    long LedgerTickets,
    IReadOnlyList<DrawWinner> Winners,
    IReadOnlyList<string> Forfeited,
    IReadOnlyList<CampaignPrize> Prizes);

/// <summary>A prize grant of a draw.</summary>
/// <param name="Key">Its ledger key (<c>draw|id|tier|slot|replacement</c>).</param>
/// <param name="Member">The winner.</param>
/// <param name="Reward">What was granted.</param>
/// <param name="Reversed">Whether it was reversed since.</param>
public sealed record CampaignPrize(string Key, string Member, RewardSpec? Reward, bool Reversed);

/// <summary>An entry of a draw as stored.</summary>
/// <param name="Entry">The entry's id (the member).</param>
/// <param name="Tickets">Its tickets.</param>
public sealed record CampaignEntry(string Entry, long Tickets);

/// <summary>A line of <c>GET /ledger</c>.</summary>
/// <param name="Key">The ledger key.</param>
/// <param name="Member">The member.</param>
/// <param name="Kind">Grant or reversal.</param>
/// <param name="Source">The rule id, or the draw id for a prize.</param>
/// <param name="At">When.</param>
/// <param name="EventId">The event it came from (a refusal names the closed draw here).</param>
/// <param name="Rewards">What it grants.</param>
/// <param name="Reverses">The key it reverses, or null.</param>
/// <param name="Refusal">Why tickets were refused (e.g. DrawClosed), or null.</param>
public sealed record LedgerLine(
    string Key, string Member, RewardEntryKind Kind, string Source, DateTimeOffset At, string EventId,
    IReadOnlyList<RewardSpec> Rewards, string? Reverses, TicketRefusalReason? Refusal);

/// <summary>The body of <c>POST /draws/{id}/claim</c>.</summary>
/// <param name="Member">The winner who claims.</param>
public sealed record ClaimRequest(string? Member);
