using Marten;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>DELETE /v1/keys/{id} (admin): revokes a key everywhere. Revoking twice is harmless.</summary>
internal static class RevokeKeyEndpoint
{
    public static void MapRevokeKey(this IEndpointRouteBuilder app) =>
        app.MapDelete(
                "/v1/keys/{keyId}",
                async (
                    string keyId,
                    HttpContext http,
                    IDocumentSession session,
                    ControlSigner signer,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    var known = await session.LoadAsync<KnownApiKey>(keyId, ct);
                    if (known is null)
                        return Results.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such key",
                            detail: $"No key has id '{keyId}'."
                        );
                    if (known.RevokedAt is not null)
                        return Results.NoContent();
                    var revoked = signer.Sign(new ApiKeyRevoked { KeyId = keyId, RevokedAt = clock.GetUtcNow() });
                    session.Events.Append(KeyStreams.For(keyId), revoked);
                    session.Store(KnownApiKey.Revoked(known, revoked));
                    audit.Record(
                        session,
                        http.User,
                        AdminActionKinds.KeyRevoked,
                        keyId,
                        new
                        {
                            known.Source,
                            known.Scopes,
                            known.User,
                            known.Teams,
                        }
                    );
                    await session.SaveChangesAsync(ct);
                    return Results.NoContent();
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("RevokeKey")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
