using Npgsql;
using NpgsqlTypes;
using Tokenwise.Contracts;
using Weasel.Postgresql.Tables;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// The directory as a service last heard it (<see cref="UserDirectoryChanged"/>): who is in which team, who manages
/// whom. Each service that addresses people keeps its own copy in its own schema.
/// </summary>
public static class PeopleTable
{
    public const string Name = "people";

    public static Table Create(string schema)
    {
        var people = new Table($"{schema}.{Name}");
        people.AddColumn<string>("user_id").AsPrimaryKey();
        people.AddColumn("team", "text");
        people.AddColumn("manager", "text");
        people.AddColumn("changed_at", "timestamptz").NotNull();
        return people;
    }

    /// <summary>
    /// Who a finding about a team is addressed to: the manager most of its people report to; a tie goes to the first
    /// by name (ordinal, as the table's bytewise collation orders them). Null when nobody in the team has a manager.
    /// </summary>
    public static string? TeamManager(IEnumerable<string?> managersOfMembers) =>
        managersOfMembers
            .OfType<string>()
            .GroupBy(m => m)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();

    /// <summary><see cref="TeamManager"/> as a SQL expression, for a query that addresses many teams at once.</summary>
    public static string TeamManagerSql(string schema, string teamExpression) =>
        $"""
            (select manager
             from {schema}.{Name}
             where team = {teamExpression} and manager is not null
             group by manager
             order by count(*) desc, manager
             limit 1)
            """;

    /// <summary>A user's manager as a SQL expression.</summary>
    public static string UserManagerSql(string schema, string userExpression) =>
        $"(select manager from {schema}.{Name} where user_id = {userExpression})";

    /// <summary>What a service claims when it takes a directory change in: the person and the change's time.</summary>
    public static string ChangeKey(UserDirectoryChanged change) =>
        $"directory:{change.User}@{change.ChangedAt.UtcTicks}";

    /// <summary>Entries are whole replacements; an older one arriving late never overwrites a newer one.</summary>
    public static async Task UpsertAsync(
        string schema,
        UserDirectoryChanged change,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            insert into {schema}.{Name} as p (user_id, team, manager, changed_at)
            values (@user, @team, @manager, @at)
            on conflict (user_id) do update
            set team = excluded.team, manager = excluded.manager, changed_at = excluded.changed_at
            where p.changed_at <= excluded.changed_at
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("user", change.User);
        command.Parameters.Add(
            new NpgsqlParameter("team", NpgsqlDbType.Text) { Value = (object?)change.Team ?? DBNull.Value }
        );
        command.Parameters.Add(
            new NpgsqlParameter("manager", NpgsqlDbType.Text) { Value = (object?)change.Manager ?? DBNull.Value }
        );
        command.Parameters.AddWithValue("at", change.ChangedAt.UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }
}
