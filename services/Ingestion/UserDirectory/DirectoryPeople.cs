using Marten;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>Ingestion's directory is the source itself: readers' limits here come from its entries.</summary>
internal sealed class DirectoryPeople(IDocumentStore store) : IPeopleDirectory
{
    public async Task<IReadOnlyList<DirectoryPerson>> PeopleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var entries = await session
            .Query<DirectoryEntry>()
            .Select(e => new
            {
                e.User,
                e.Team,
                e.Manager,
            })
            .ToListAsync(ct);
        return entries.Select(e => new DirectoryPerson(e.User, e.Team, e.Manager)).ToList();
    }
}
