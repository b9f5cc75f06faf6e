using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>
/// GET /v1/directory/users[?team=&amp;after=&amp;limit=] (by user id, at most <see cref="MaxLimit"/> a page; the next page
/// starts after the last user of this one) and GET /v1/directory/users/{user} (an alias finds the person too).
/// </summary>
internal static class ReadUsersEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1_000;

    public static void MapReadUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/directory/users",
                async (
                    HttpContext http,
                    IQuerySession session,
                    Readers readers,
                    string? team,
                    string? after,
                    int? limit,
                    CancellationToken ct
                ) =>
                {
                    if (limit is < 1 or > MaxLimit)
                        return Results.ValidationProblem(
                            new Dictionary<string, string[]> { ["limit"] = [$"must be from 1 to {MaxLimit}"] }
                        );
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    var query = session.Query<DirectoryEntry>().AsQueryable();
                    if (!scope.All)
                    {
                        string[] users = [.. scope.Users],
                            teams = [.. scope.Teams];
                        query = query.Where(e => users.Contains(e.User) || teams.Contains(e.Team));
                    }
                    if (team is not null)
                        query = query.Where(e => e.Team == team);
                    if (after is not null)
                        query = query.Where(e => string.Compare(e.User, after) > 0);
                    return Results.Ok(
                        (await query.OrderBy(e => e.User).Take(limit ?? DefaultLimit).ToListAsync(ct))
                            .Select(e => e.ToModel())
                            .ToList()
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("ListDirectoryUsers")
            .Produces<IReadOnlyList<DirectoryUser>>();

        app.MapGet(
                "/v1/directory/users/{user}",
                async (string user, HttpContext http, IQuerySession session, Readers readers, CancellationToken ct) =>
                {
                    var identity = DirectoryEntry.Normalize(user);
                    var entry =
                        await session.LoadAsync<DirectoryEntry>(DirectoryEntry.StreamKey(user), ct)
                        ?? await session
                            .Query<DirectoryEntry>()
                            .Where(e => e.Identities.Contains(identity))
                            .FirstOrDefaultAsync(ct);
                    // A limited reader learns nothing of people outside their limits, not even whether they exist.
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    if (!scope.All && (entry is null || !scope.MaySee(entry.User, entry.Team)))
                        return Readers.Forbidden($"'{user}'");
                    return entry is null
                        ? Results.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such user",
                            detail: $"'{user}' is neither a user nor an alias in the directory."
                        )
                        : Results.Ok(entry.ToModel());
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetDirectoryUser")
            .Produces<DirectoryUser>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
