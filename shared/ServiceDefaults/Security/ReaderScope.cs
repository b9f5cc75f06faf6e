using Npgsql;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>A person in the directory as far as reading limits go: their team and their manager.</summary>
public sealed record DirectoryPerson(string User, string? Team, string? Manager);

/// <summary>
/// Whose figures a reader may see. An unbound key sees everything (finance, data teams). A key bound to teams sees
/// the people the directory puts in those teams and whatever is filed under the teams. A key bound to a person sees
/// them and everyone who reports to them, however many levels down, and a team's figures only when the team is all
/// theirs. Org-wide figures (reconciliation, org budgets, pipeline alerts) are for unbound readers alone.
/// </summary>
public sealed record ReaderScope(bool All, IReadOnlySet<string> Users, IReadOnlySet<string> Teams)
{
    /// <summary>Subject types a limited reader may see: a person's, or a team's. Every other type is org-wide.</summary>
    public const string UserSubject = "user",
        TeamSubject = "team";

    public static readonly ReaderScope Everything = new(true, new HashSet<string>(), new HashSet<string>());

    /// <summary>Figures of this user, or filed under this team.</summary>
    public bool MaySee(string? user, string? team) =>
        All || (user is not null && Users.Contains(user)) || (team is not null && Teams.Contains(team));

    public bool MaySeeUser(string user) => All || Users.Contains(user);

    public bool MaySeeTeam(string team) => All || Teams.Contains(team);

    /// <summary>A budget's, breaker's or alert's subject ("user", "team"; anything else is org-wide).</summary>
    public bool MaySeeSubject(string scopeType, string scopeId) =>
        scopeType switch
        {
            UserSubject => MaySeeUser(scopeId),
            TeamSubject => MaySeeTeam(scopeId),
            _ => All,
        };

    /// <summary>What a reader's key may see, given the directory.</summary>
    public static ReaderScope Of(KeyBinding binding, IReadOnlyCollection<DirectoryPerson> people)
    {
        if (!binding.IsBound)
            return Everything;
        var users = new HashSet<string>(StringComparer.Ordinal);
        var teams = new HashSet<string>(binding.Teams, StringComparer.Ordinal);
        foreach (var person in people)
            if (person.Team is not null && teams.Contains(person.Team))
                users.Add(person.User);
        if (binding.User is { } manager)
        {
            users.Add(manager);
            // Everyone whose chain of managers reaches them; a cycle in the directory ends the walk, not the service.
            var reports = people
                .Where(p => p.Manager is not null)
                .ToLookup(p => p.Manager!, p => p.User, StringComparer.Ordinal);
            var next = new Queue<string>([manager]);
            while (next.TryDequeue(out var boss))
                foreach (var report in reports[boss])
                    if (users.Add(report))
                        next.Enqueue(report);
            foreach (var team in people.Where(p => p.Team is not null).GroupBy(p => p.Team!))
                if (team.All(p => users.Contains(p.User)))
                    teams.Add(team.Key);
        }
        return new ReaderScope(false, users, teams);
    }

    /// <summary>A SQL condition over a table's user and team columns, with @readable_users and @readable_teams (<see cref="AddTo"/>).</summary>
    public string Sql(string userColumn, string teamColumn) =>
        All ? "true" : $"({userColumn} = any(@readable_users) or {teamColumn} = any(@readable_teams))";

    public void AddTo(NpgsqlCommand command)
    {
        if (All)
            return;
        command.Parameters.AddWithValue("readable_users", Users.ToArray());
        command.Parameters.AddWithValue("readable_teams", Teams.ToArray());
    }
}
