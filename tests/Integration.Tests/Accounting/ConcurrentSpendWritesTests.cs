using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>
/// Two charge transactions on Accounting's real tables, driven statement by statement so that the interleaving which
/// used to deadlock happens every time: each adds a new hour for one person and another hour for a second person who
/// already has a row, so one of spend_daily's triggers (inserted rows) and the other (updated rows) want the two
/// people's daily rows in opposite orders.
/// </summary>
public sealed class ConcurrentSpendWritesTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    private string Schema => system.Environment.Schema("accounting");

    private static (HourlySpendKey, HourlySpendDelta) Row(DateTimeOffset hour, string user) =>
        (
            new HourlySpendKey(hour, user, "", "openai", "gpt-4.1", "", "", "v1"),
            new HourlySpendDelta { Requests = 1, Cost = new BucketCosts(0.01m, 0, 0, 0, 0) }
        );

    private async Task WriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        params (HourlySpendKey Key, HourlySpendDelta Delta)[] rows
    )
    {
        var ordered = rows.OrderBy(r => r.Key, HourlySpendKey.Order).ToList();
        var values = HourlySpendProjection.UpsertParameters(ordered);
        foreach (var (sql, takesRows) in HourlySpendProjection.WriteSql(Schema, named: true))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            if (takesRows)
                for (var i = 0; i < values.Length; i++)
                    command.Parameters.AddWithValue(HourlySpendProjection.ColumnNames[i], values[i]);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<int> PidOf(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitingOnALockAsync(NpgsqlConnection observer, int pid, string who) =>
        Eventually.Until(
            async () =>
            {
                await using var command = new NpgsqlCommand(
                    "select wait_event_type from pg_stat_activity where pid = $1",
                    observer
                );
                command.Parameters.Add(new NpgsqlParameter { Value = pid });
                return await command.ExecuteScalarAsync() as string;
            },
            wait => wait == "Lock",
            $"{who} waiting on a lock"
        );

    [Fact]
    public async Task Two_charge_transactions_that_need_the_same_daily_rows_in_opposite_orders_wait_instead_of_deadlocking()
    {
        var postgres = system.Environment.Servers.Postgres;
        var (ana, ben) = ($"ana-{Guid.NewGuid():N}", $"ben-{Guid.NewGuid():N}");
        var first = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3), TimeSpan.Zero).AddHours(1);
        var second = first.AddHours(1);
        await using var setup = await OpenAsync(postgres);
        await using (var seed = await setup.BeginTransactionAsync())
        {
            await WriteAsync(setup, seed, Row(first, ana), Row(first, ben));
            await seed.CommitAsync();
        }

        // A third session holds both people's daily rows, so the two writers line up behind it before either moves.
        await using var holder = await OpenAsync(postgres);
        await using var hold = await holder.BeginTransactionAsync();
        await using (
            var take = new NpgsqlCommand(
                $"select 1 from {Schema}.{DailySpendTable.Name} where user_id = any($1) for update",
                holder,
                hold
            )
        )
        {
            take.Parameters.Add(new NpgsqlParameter { Value = new[] { ana, ben } });
            await take.ExecuteNonQueryAsync();
        }

        await using var one = await OpenAsync(postgres);
        await using var two = await OpenAsync(postgres);
        var (onePid, twoPid) = (await PidOf(one), await PidOf(two));
        await using var oneTransaction = await one.BeginTransactionAsync();
        await using var twoTransaction = await two.BeginTransactionAsync();
        var oneWrites = WriteAsync(one, oneTransaction, Row(second, ana), Row(first, ben));
        await WaitingOnALockAsync(setup, onePid, "the first writer");
        var twoWrites = WriteAsync(two, twoTransaction, Row(second, ben), Row(first, ana));
        await WaitingOnALockAsync(setup, twoPid, "the second writer");
        await hold.CommitAsync();

        await oneWrites;
        await oneTransaction.CommitAsync();
        await twoWrites;
        await twoTransaction.CommitAsync();

        await using var sums = new NpgsqlCommand(
            $"""
            select user_id, sum(requests)
            from {Schema}.{DailySpendTable.Name}
            where user_id = any($1)
            group by user_id
            order by user_id
            """,
            setup
        );
        sums.Parameters.Add(new NpgsqlParameter { Value = new[] { ana, ben } });
        var perPerson = new List<(string, long)>();
        await using (var reader = await sums.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                perPerson.Add((reader.GetString(0), reader.GetInt64(1)));
        Assert.Equal([(ana, 3L), (ben, 3L)], perPerson);
    }
}
