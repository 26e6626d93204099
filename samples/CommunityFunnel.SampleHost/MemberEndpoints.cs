using CommunityFunnel.Members;

namespace CommunityFunnel.SampleHost;

/// <summary><c>GET /members/{group}/{member}</c>: the stored <see cref="MemberRecord"/>, 404 when the member is unknown.</summary>
public static class MemberEndpoints
{
    /// <summary>Maps <c>GET /members/{group}/{member}</c>.</summary>
    /// <param name="app">The endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/members/{group}/{member}", async (string group, string member, IMemberStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(group, member, cancellationToken).ConfigureAwait(false) is { } record
                ? Results.Ok(record)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown member", detail: $"No member '{member}' in group '{group}'."));
        return app;
    }
}
