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

    /// <summary>Entries are whole replacements; an older one arriving late never overwrites a newer one.</summary>
    public static async Task UpsertAsync(string schema, UserDirectoryChanged change, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {schema}.{Name} as p (user_id, team, manager, changed_at) values (@user, @team, @manager, @at) " +
            "on conflict (user_id) do update set team = excluded.team, manager = excluded.manager, changed_at = excluded.changed_at " +
            "where p.changed_at <= excluded.changed_at", connection, transaction);
        command.Parameters.AddWithValue("user", change.User);
        command.Parameters.Add(new NpgsqlParameter("team", NpgsqlDbType.Text) { Value = (object?)change.Team ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("manager", NpgsqlDbType.Text) { Value = (object?)change.Manager ?? DBNull.Value });
        command.Parameters.AddWithValue("at", change.ChangedAt.UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }
}
