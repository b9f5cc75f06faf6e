using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// GET /v1/keys[?issuedAfter=] (admin): keys with their source, scopes and state, oldest first, at most
/// <see cref="Limit"/> a page (the next page: issuedAfter = the last one's issuedAt); never the key or its hash.
/// </summary>
internal static class ListKeysEndpoint
{
    public const int Limit = 1_000;

    public static void MapListKeys(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/keys",
                async (IQuerySession session, DateTimeOffset? issuedAfter, CancellationToken ct) =>
                {
                    var query = session.Query<KnownApiKey>().AsQueryable();
                    if (issuedAfter is { } after)
                        query = query.Where(k => k.IssuedAt > after);
                    var keys = await query.OrderBy(k => k.IssuedAt).Take(Limit).ToListAsync(ct);
                    return Results.Ok(
                        keys.Select(k => new KeySummary(
                                k.Id,
                                k.Source,
                                k.Scopes,
                                k.Description,
                                k.IssuedAt,
                                k.RevokedAt
                            )
                            {
                                User = k.User,
                                Teams = k.Teams,
                            })
                            .ToList()
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ListKeys")
            .Produces<IReadOnlyList<KeySummary>>();
}
