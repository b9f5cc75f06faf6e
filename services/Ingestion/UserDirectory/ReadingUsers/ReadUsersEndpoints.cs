using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.UserDirectory.ReadingUsers;

/// <summary>GET /v1/directory/users and GET /v1/directory/users/{user} (an alias finds the person too).</summary>
internal static class ReadUsersEndpoints
{
    public static void MapReadUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/directory/users", async (IQuerySession session, string? team, CancellationToken ct) =>
            {
                var query = session.Query<DirectoryEntry>().AsQueryable();
                if (team is not null) query = query.Where(e => e.Team == team);
                return Results.Ok((await query.OrderBy(e => e.User).ToListAsync(ct)).Select(e => e.ToModel()).ToList());
            })
            .RequireAuthorization(Scopes.Read)
            .WithName("ListDirectoryUsers")
            .Produces<IReadOnlyList<DirectoryUser>>();

        app.MapGet("/v1/directory/users/{user}", async (string user, IQuerySession session, CancellationToken ct) =>
            {
                var identity = DirectoryEntry.Normalize(user);
                var entry = await session.LoadAsync<DirectoryEntry>(DirectoryEntry.StreamKey(user), ct)
                            ?? await session.Query<DirectoryEntry>()
                                .Where(e => e.Identities.Contains(identity)).FirstOrDefaultAsync(ct);
                return entry is null
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user",
                        detail: $"'{user}' is neither a user nor an alias in the directory.")
                    : Results.Ok(entry.ToModel());
            })
            .RequireAuthorization(Scopes.Read)
            .WithName("GetDirectoryUser")
            .Produces<DirectoryUser>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
