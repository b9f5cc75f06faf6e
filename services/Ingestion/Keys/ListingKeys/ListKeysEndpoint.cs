using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys.ListingKeys;

/// <summary>GET /v1/keys (admin): every key with its source, scopes and state; never the key or its hash.</summary>
internal static class ListKeysEndpoint
{
    public static void MapListKeys(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/keys", async (IQuerySession session, CancellationToken ct) =>
            {
                var keys = await session.Query<KnownApiKey>().OrderBy(k => k.IssuedAt).ToListAsync(ct);
                return Results.Ok(keys.Select(k => new KeySummary(k.Id, k.Source, k.Scopes, k.Description, k.IssuedAt, k.RevokedAt)).ToList());
            })
            .RequireAuthorization(Scopes.Admin)
            .WithName("ListKeys")
            .Produces<IReadOnlyList<KeySummary>>();
}
