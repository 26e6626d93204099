using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Hosting;
using CommunityFunnel.Telegram;

namespace CommunityFunnel.SampleHost;

/// <summary>
/// <c>POST /telegram</c>, mapped only when <c>CommunityFunnel:Telegram:SecretToken</c> is set: a Bot API update
/// (the webhook set with <c>setWebhook(secret_token=...)</c>, which Telegram echoes in
/// <c>X-Telegram-Bot-Api-Secret-Token</c>), mapped by <see cref="TelegramUpdateMapper"/> and submitted through
/// <see cref="IEventIntake"/>. Invite-link names map to channels with <c>CommunityFunnel:Telegram:InviteLinkChannels:NAME=CHANNEL</c>.
/// </summary>
public static class TelegramEndpoints
{
    /// <summary>Maps <c>POST /telegram</c> when a secret token is configured.</summary>
    /// <param name="app">The endpoints.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapTelegramEndpoint(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var section = configuration.GetSection("CommunityFunnel:Telegram");
        if (section["SecretToken"] is not { Length: > 0 } secret)
        {
            return app;
        }

        var mapper = new TelegramUpdateMapper(new TelegramMapperOptions
        {
            InviteLinkChannels = section.GetSection("InviteLinkChannels").GetChildren()
                .Where(c => !string.IsNullOrEmpty(c.Value)).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
        });
        var expected = Encoding.UTF8.GetBytes(secret);
        app.MapPost("/telegram", async (HttpRequest request, IEventIntake intake, CancellationToken ct) =>
        {
            var given = Encoding.UTF8.GetBytes(request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong secret token");
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            TelegramMappingResult mapped;
            try
            {
                mapped = mapper.Map(body);
            }
            catch (TelegramException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Update not mapped", detail: e.Message,
                    extensions: new Dictionary<string, object?> { ["reason"] = e.Reason.ToString(), ["field"] = e.Field });
            }

            var (applied, duplicates, actions) = (0, 0, 0);
            foreach (var e in mapped.Events)
            {
                ct.ThrowIfCancellationRequested();   // between events only, as in POST /events
                var result = await intake.SubmitAsync(e, CancellationToken.None).ConfigureAwait(false);
                (applied, duplicates, actions) = result.Outcome == EventIntakeOutcome.Applied
                    ? (applied + 1, duplicates, actions + result.Actions.Count)
                    : (applied, duplicates + 1, actions);
            }

            return Results.Ok(new EventsAccepted(applied, duplicates, actions));   // answered only after every event is stored
        });
        return app;
    }
}
