using System.Security.Claims;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// GET /v1/keys/current (any key): what the presented key may do and whom it speaks for, so that a front end that
/// signs people in with a key (the console, in development) knows their role without holding an admin key.
/// </summary>
internal static class CurrentKeyEndpoint
{
    public static void MapCurrentKey(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/keys/current",
                (ClaimsPrincipal user) =>
                {
                    var binding = user.Binding();
                    return Results.Ok(
                        new CurrentKey(user.KeyId(), user.Source(), user.KeyScopes(), binding.User, binding.Teams)
                    );
                }
            )
            .RequireAuthorization()
            .WithName("CurrentKey")
            .Produces<CurrentKey>();
}
