using System.Data;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Where a service reads the directory from when it works out whose figures a reader may see.</summary>
public interface IPeopleDirectory
{
    Task<IReadOnlyList<DirectoryPerson>> PeopleAsync(CancellationToken ct);
}

/// <summary>The service's own copy of the directory (<see cref="PeopleTable"/>).</summary>
internal sealed class PeopleTableDirectory(TokenwiseSettings settings) : IPeopleDirectory
{
    public async Task<IReadOnlyList<DirectoryPerson>> PeopleAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select user_id, team, manager
            from {settings.Schema}.{PeopleTable.Name}
            """,
            connection
        );
        var people = new List<DirectoryPerson>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            people.Add(
                new DirectoryPerson(
                    reader.GetString("user_id"),
                    reader.GetStringOrNull("team"),
                    reader.GetStringOrNull("manager")
                )
            );
        return people;
    }
}

/// <summary>
/// Works out a request's <see cref="ReaderScope"/>. An unbound key costs nothing; a bound one reads the directory,
/// kept for a few seconds (as keys are), so a directory change reaches readers' limits within that time.
/// </summary>
public sealed class Readers(IPeopleDirectory directory, IMemoryCache cache)
{
    public static readonly TimeSpan DirectoryCacheFor = TimeSpan.FromSeconds(5);

    public async Task<ReaderScope> ScopeOfAsync(ClaimsPrincipal reader, CancellationToken ct)
    {
        var binding = reader.Binding();
        if (!binding.IsBound)
            return ReaderScope.Everything;
        var people = await cache.GetOrCreateAsync(
            "reader-directory",
            entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = DirectoryCacheFor;
                return directory.PeopleAsync(ct);
            }
        );
        return ReaderScope.Of(binding, people!);
    }

    /// <summary>403 problem+json for a reader asking about someone outside their limits.</summary>
    public static IResult Forbidden(string what) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Outside this key's limits",
            detail: $"This key reads only the people and teams it is bound to; {what} is not one of them."
        );
}
