using System.Text.RegularExpressions;
using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// POST /v1/keys (admin): creates a key for a source with scopes, bound to a user or teams or to no one, and shows it
/// once. Only its hash is stored and published (<see cref="ApiKeyIssued"/>), so every service accepts it and nobody
/// can read it back. An admin or outcomes key speaks for everyone: it cannot be bound.
/// </summary>
internal static partial class IssueKeyEndpoint
{
    private static readonly HashSet<string> ReservedSources = ["bootstrap", "github", "pagerduty"];
    public const int MaxTeams = 50;

    public static void MapIssueKey(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/keys",
                async (
                    HttpContext http,
                    IDocumentSession session,
                    ControlSigner signer,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                                return JsonBody.Problem(400, "Malformed request", "The body must be a JSON object.");
                            var f = new JsonFields(root, "", errors);
                            var source = f.Text("source", 64, required: true);
                            if (
                                source is not null
                                && (!SourceName().IsMatch(source) || ReservedSources.Contains(source))
                            )
                                f.Fail(
                                    "source",
                                    "must be lower-case letters, digits, '.', '-' or '_', and not bootstrap, github or pagerduty"
                                );
                            var scopes = f.TextList("scopes", Scopes.All.Count, 10);
                            if (scopes is null || scopes.Count == 0 || scopes.Any(s => !Scopes.All.Contains(s)))
                                f.Fail("scopes", "must list one or more of " + string.Join(", ", Scopes.All));
                            var description = f.Text("description", 500);
                            var user = f.Text("user");
                            var teams = f.TextList("teams", MaxTeams) ?? [];
                            var bound = user is not null || teams.Count > 0;
                            if (bound && scopes?.Any(s => s is Scopes.Admin or Scopes.Outcomes) == true)
                                f.Fail(
                                    user is not null ? "user" : "teams",
                                    "an admin or outcomes key speaks for everyone; issue it without user or teams"
                                );
                            if (errors.Any)
                                return errors.ToProblem();

                            var (keyId, key) = ApiKeyFormat.NewKey();
                            // Signed, so that no one but a service can issue a key by publishing to the broker.
                            var issued = signer.Sign(
                                new ApiKeyIssued
                                {
                                    KeyId = keyId,
                                    Source = source!,
                                    Scopes = scopes!.Distinct().ToList(),
                                    KeyHash = ApiKeyFormat.Hash(key),
                                    Description = description,
                                    User = user,
                                    Teams = teams.Distinct().ToList(),
                                    IssuedAt = clock.GetUtcNow(),
                                }
                            );
                            session.Events.StartStream(KeyStreams.For(keyId), issued);
                            // This service accepts the key at once; the others learn it from the published event.
                            session.Store(KnownApiKey.Issued(null, issued));
                            audit.Record(
                                session,
                                http.User,
                                AdminActionKinds.KeyIssued,
                                keyId,
                                new
                                {
                                    issued.Source,
                                    issued.Scopes,
                                    issued.Description,
                                    issued.User,
                                    issued.Teams,
                                }
                            );
                            await session.SaveChangesAsync(ct);
                            return Results.Created(
                                $"/v1/keys/{keyId}",
                                new IssuedKey(
                                    keyId,
                                    key,
                                    issued.Source,
                                    issued.Scopes,
                                    issued.Description,
                                    issued.IssuedAt
                                )
                                {
                                    User = user,
                                    Teams = issued.Teams,
                                }
                            );
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("IssueKey")
            .Produces<IssuedKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex SourceName();
}
