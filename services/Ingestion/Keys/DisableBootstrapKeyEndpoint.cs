using Marten;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// DELETE /v1/keys/bootstrap (admin): switches TOKENWISE_BOOTSTRAP_KEY off in every service, for good. Refused with
/// 409 until a usable admin key has been issued, so that nobody locks the installation out of itself.
/// </summary>
internal static class DisableBootstrapKeyEndpoint
{
    public const string Stream = "bootstrap-key";

    public static void MapDisableBootstrapKey(this IEndpointRouteBuilder app) =>
        app.MapDelete(
                "/v1/keys/bootstrap",
                async (
                    HttpContext http,
                    IDocumentSession session,
                    ControlSigner signer,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    var state = await session.LoadAsync<BootstrapKeyState>(BootstrapKeyState.DocumentId, ct);
                    if (state?.DisabledAt is not null)
                        return Results.NoContent();
                    var adminKeys = await session
                        .Query<KnownApiKey>()
                        .Where(k => k.RevokedAt == null && k.KeyHash != "" && k.Scopes.Contains(Scopes.Admin))
                        .CountAsync(ct);
                    if (adminKeys == 0)
                        return Results.Problem(
                            statusCode: StatusCodes.Status409Conflict,
                            title: "No admin key yet",
                            detail: "Issue a key with the admin scope (POST /v1/keys) before switching the bootstrap key off."
                        );
                    var disabled = signer.Sign(
                        new BootstrapKeyDisabled { By = http.User.KeyId(), At = clock.GetUtcNow() }
                    );
                    session.Events.Append(Stream, disabled);
                    session.Store(new BootstrapKeyState { DisabledAt = disabled.At, DisabledBy = disabled.By });
                    audit.Record(
                        session,
                        http.User,
                        AdminActionKinds.BootstrapKeyDisabled,
                        "bootstrap",
                        new { disabled.At }
                    );
                    await session.SaveChangesAsync(ct);
                    return Results.NoContent();
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("DisableBootstrapKey")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
