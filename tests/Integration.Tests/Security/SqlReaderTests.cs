using System.Diagnostics;
using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.Accounting;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>The read-only SQL login of docs/sql.md, made by infra/sql/readonly-role.sql as ./run.sh makes it.</summary>
public sealed class SqlReaderTests(AccountingSystem system) : IClassFixture<AccountingSystem>, IAsyncLifetime
{
    private readonly string _role = "reader_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _password = Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(system.Environment.Servers.PostgresAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop owned by {_role}; drop role if exists {_role}", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task CreateReaderAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(system.Environment.Servers.PostgresAdmin);
        var psql = new ProcessStartInfo("psql") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (
            var argument in new[]
            {
                $"host={admin.Host} port={admin.Port} user={admin.Username} password={admin.Password} dbname={admin.Database}",
                "-q",
                "-v",
                $"password={_password}",
                "-v",
                $"role={_role}",
                "-v",
                $"schema={system.Environment.Schema("accounting")}",
                "-f",
                Path.Combine(ServiceProcess.RepositoryRoot(), "infra", "sql", "readonly-role.sql"),
            }
        )
            psql.ArgumentList.Add(argument);
        using var process = Process.Start(psql)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
    }

    private async Task<NpgsqlConnection> ReaderAsync()
    {
        var login = new NpgsqlConnectionStringBuilder(system.Environment.Servers.Postgres)
        {
            Username = _role,
            Password = _password,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(login.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<object?> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(
            sql.Replace("{schema}", system.Environment.Schema("accounting")),
            connection
        );
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task The_reader_sees_spend_but_not_the_key_list_or_the_event_store_and_its_statements_time_out()
    {
        var usage = new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow,
            User = "sql-reader",
            Model = "gpt-4.1",
            InputTokens = 50_000,
        };
        await system.PostAsync(usage);
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () => (await system.Api.GetSpendAsync("user", day, day)).Content!.Rows,
            rows => rows.Any(r => r.Group["user"] == "sql-reader"),
            "the usage to be charged"
        );
        // An issued key reaches Accounting's key list, so the table is there to be refused.
        var issued = (await system.Ingest.IssueKeyAsync(new KeyRequest("sql-reader-test", ["read"]))).Content!;
        await Eventually.Until(
            async () =>
                (
                    await system.Accounting.Client<Tokenwise.Client.Apis.IAccountingApi>(issued.Key).ListBudgetsAsync()
                ).StatusCode,
            status => status == System.Net.HttpStatusCode.OK,
            "Accounting to know the key"
        );
        await CreateReaderAsync();
        await using var reader = await ReaderAsync();

        Assert.Equal(
            0.10m,
            await QueryAsync(reader, "select sum(cost) from {schema}.charges where user_id = 'sql-reader'")
        );
        Assert.Equal(
            0.10m,
            await QueryAsync(
                reader,
                "select sum(cost_usd) from {schema}.daily_user_model_spend where user_id = 'sql-reader'"
            )
        );
        foreach (var table in new[] { "mt_doc_knownapikey", "mt_events", "mt_streams" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                QueryAsync(reader, $"select count(*) from {{schema}}.{table}")
            );
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal("30s", await QueryAsync(reader, "show statement_timeout"));
        var write = await Assert.ThrowsAsync<PostgresException>(() =>
            QueryAsync(reader, "delete from {schema}.charges")
        );
        Assert.Contains(
            write.SqlState,
            new[] { PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.ReadOnlySqlTransaction }
        );
    }
}
