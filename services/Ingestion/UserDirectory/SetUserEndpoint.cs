using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>PUT /v1/directory/users/{user}: creates or replaces a person's entry (admin).</summary>
internal static class SetUserEndpoint
{
    public const int MaxAliases = 50;
    public const int DisplayNameBytes = 300;

    public static void MapSetUser(this IEndpointRouteBuilder app) =>
        app.MapPut("/v1/directory/users/{user}", Handle)
            .RequireAuthorization(Scopes.Admin)
            .WithName("SetDirectoryUser")
            .Produces<DirectoryUser>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> Handle(
        string user,
        HttpContext http,
        IDocumentSession session,
        IdentityResolver resolver,
        ControlSigner signer,
        AdminActions audit,
        TimeProvider clock,
        CancellationToken ct
    )
    {
        return await JsonBody.HandleAsync(
            http.Request,
            ct,
            async root =>
            {
                var errors = new ValidationErrors();
                if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                    errors.Add("$", "must be a JSON object");
                if (TextRules.Problem(user) is { } userProblem)
                    errors.Add("user", userProblem);
                if (errors.Any)
                    return errors.ToProblem();

                var f = new JsonFields(root, "", errors);
                var change = new UserDirectoryChanged
                {
                    User = user,
                    DisplayName = f.Text("displayName", DisplayNameBytes),
                    Email = f.Text("email"),
                    Team = f.Text("team"),
                    Manager = f.Text("manager"),
                    Aliases = f.TextList("aliases", MaxAliases) ?? [],
                    ChangedAt = clock.GetUtcNow(),
                };
                if (change.Email is { } email && !email.Contains('@'))
                    f.Fail("email", "must be an email address");
                if (errors.Any)
                    return errors.ToProblem();

                var identities = DirectoryEntry.IdentitiesOf(change);
                var taken = await session
                    .Query<DirectoryEntry>()
                    .Where(e => e.User != user && e.Identities.Any(identity => identities.Contains(identity)))
                    .ToListAsync(ct);
                if (taken.Count > 0)
                    return Results.Problem(
                        statusCode: StatusCodes.Status409Conflict,
                        title: "Alias already taken",
                        detail: $"An email or alias of '{user}' already belongs to '{taken[0].User}'. Remove it there first.",
                        extensions: new Dictionary<string, object?> { ["field"] = "aliases" }
                    );

                var before = await session.LoadAsync<DirectoryEntry>(DirectoryEntry.StreamKey(user), ct);
                session.Events.Append(DirectoryEntry.StreamKey(user), signer.Sign(change));
                audit.Record(
                    session,
                    http.User,
                    AdminActionKinds.DirectoryUserSet,
                    $"user:{user}",
                    new
                    {
                        change.DisplayName,
                        change.Email,
                        change.Team,
                        change.Manager,
                        change.Aliases,
                    }
                );
                await session.SaveChangesAsync(ct);
                resolver.Forget(identities.Concat(before?.Identities ?? []));
                return Results.Ok(
                    (await session.LoadAsync<DirectoryEntry>(DirectoryEntry.StreamKey(user), ct))!.ToModel()
                );
            }
        );
    }
}
