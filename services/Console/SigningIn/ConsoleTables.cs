using Npgsql;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// The console's own two tables, in its schema of the PostgreSQL the services use: the sessions people are signed in
/// with, and the data-protection keys that protect their cookies, anti-forgery tokens and stored tickets. Shared by
/// every console instance, so that any of them serves any session and a restart signs no one out.
/// </summary>
public sealed class ConsoleTables(NpgsqlDataSource database, ConsoleSettings settings)
{
    public const string SessionsTable = "sessions",
        KeysTable = "data_protection_keys";

    /// <summary>Any number taken by no one else: instances creating the tables or the first key wait for each other.</summary>
    private const long SetupLock = 0x70_6b_6e_63_6f_6e_73;

    public NpgsqlDataSource Database => database;
    public string Schema => settings.SchemaPrefix + "console";
    public string Sessions => $"{Schema}.{SessionsTable}";
    public string Keys => $"{Schema}.{KeysTable}";

    /// <summary>
    /// Creates the schema and tables when missing, then runs <paramref name="whileHeld"/> (the first key's creation)
    /// under the same lock, so that instances starting together agree on one key.
    /// </summary>
    public async Task CreateAsync(Action whileHeld, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({SetupLock})", connection))
            await take.ExecuteNonQueryAsync(ct);
        try
        {
            await using (
                var create = new NpgsqlCommand(
                    $"""
                    CREATE SCHEMA IF NOT EXISTS {Schema};
                    CREATE TABLE IF NOT EXISTS {Sessions} (
                      id text PRIMARY KEY,
                      ticket bytea NOT NULL,
                      expires_at timestamptz NOT NULL,
                      issued_key text
                    );
                    CREATE INDEX IF NOT EXISTS {SessionsTable}_expires_at ON {Sessions} (expires_at);
                    CREATE TABLE IF NOT EXISTS {Keys} (
                      name text PRIMARY KEY,
                      xml text NOT NULL,
                      stored_at timestamptz NOT NULL DEFAULT now()
                    );
                    """,
                    connection
                )
            )
                await create.ExecuteNonQueryAsync(ct);
            whileHeld();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({SetupLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
