using Npgsql;
using NpgsqlTypes;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Ledger;

/// <summary>Writes and reads the charge ledger inside the caller's transaction.</summary>
public sealed class ChargeLedger(TokenwiseSettings settings)
{
    private string Table => $"{settings.Schema}.{ChargeLedgerTable.Name}";

    /// <summary>
    /// Inserts charges with one statement (arrays unnested server-side), whatever the batch size, and returns the usage
    /// keys it inserted: a usage charged before keeps its row, so the primary key is Accounting's idempotency claim.
    /// Rows go in key order, so two batches sharing usages lock them in the same order and cannot deadlock.
    /// </summary>
    public async Task<HashSet<string>> InsertAsync(IReadOnlyList<(UsageCharged Charge, decimal? Reported)> charges, NpgsqlConnection connection,
        NpgsqlTransaction transaction, CancellationToken ct)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (charges.Count == 0) return inserted;
        var rows = charges.OrderBy(c => c.Charge.UsageKey, StringComparer.Ordinal).ToList();
        await using var command = new NpgsqlCommand(
            $"insert into {Table} (usage_key, occurred_at, user_id, team, provider, model, model_key, tool, repo, session_id, " +
            "input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, " +
            "input_cost, cache_read_cost, cache_write_cost, cache_write_1h_cost, output_cost, cost, price_version, reported_cost) " +
            "select * from unnest(@k, @at, @u, @t, @p, @m, @mk, @tool, @repo, @s, @i, @cr, @cw, @cw1, @o, @r, " +
            "@ic, @crc, @cwc, @cw1c, @oc, @c, @v, @rep) on conflict (usage_key) do nothing returning usage_key", connection, transaction);
        void Add<T>(string name, NpgsqlDbType type, Func<UsageCharged, decimal?, T> value) =>
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = rows.Select(r => value(r.Charge, r.Reported)).ToArray() });
        Add("k", NpgsqlDbType.Text, (c, _) => c.UsageKey);
        Add("at", NpgsqlDbType.TimestampTz, (c, _) => c.OccurredAt.UtcDateTime);
        Add("u", NpgsqlDbType.Text, (c, _) => c.User);
        Add("t", NpgsqlDbType.Text, (c, _) => c.Team ?? "");
        Add("p", NpgsqlDbType.Text, (c, _) => c.Provider ?? "");
        Add("m", NpgsqlDbType.Text, (c, _) => c.Model);
        Add("mk", NpgsqlDbType.Text, (c, _) => ModelNames.Key(c.Provider, c.Model));
        Add("tool", NpgsqlDbType.Text, (c, _) => c.Context.Tool ?? "");
        Add("repo", NpgsqlDbType.Text, (c, _) => c.Context.Repo ?? "");
        Add("s", NpgsqlDbType.Text, (c, _) => c.Context.SessionId ?? "");
        Add("i", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Input);
        Add("cr", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheRead);
        Add("cw", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheWrite);
        Add("cw1", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheWrite1h);
        Add("o", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Output);
        Add("r", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Reasoning);
        Add("ic", NpgsqlDbType.Numeric, (c, _) => c.Cost.Input);
        Add("crc", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheRead);
        Add("cwc", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheWrite);
        Add("cw1c", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheWrite1h);
        Add("oc", NpgsqlDbType.Numeric, (c, _) => c.Cost.Output);
        Add("c", NpgsqlDbType.Numeric, (c, _) => c.Cost.Total);
        Add("v", NpgsqlDbType.Text, (c, _) => c.PriceVersion);
        Add("rep", NpgsqlDbType.Numeric, (_, reported) => reported);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) inserted.Add(reader.GetString(0));
        return inserted;
    }

    /// <summary>Charges of these models from a time on, locked for update, in usage-key order, a page at a time.</summary>
    public async Task<List<(UsageCharged Charge, decimal? Reported)>> LockPageAsync(IReadOnlyList<string> modelKeys, DateTimeOffset from,
        string afterKey, int pageSize, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select usage_key, occurred_at, user_id, team, provider, model, tool, repo, session_id, input_tokens, cache_read_tokens, " +
            "cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, input_cost, cache_read_cost, cache_write_cost, " +
            $"cache_write_1h_cost, output_cost, price_version, reported_cost from {Table} " +
            "where model_key = any(@models) and occurred_at >= @from and usage_key > @after order by usage_key limit @size for update",
            connection, transaction);
        command.Parameters.AddWithValue("models", modelKeys.ToArray());
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("after", afterKey);
        command.Parameters.AddWithValue("size", pageSize);
        var rows = new List<(UsageCharged, decimal?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.GetString(i) is { Length: > 0 } s ? s : null;
            rows.Add((new UsageCharged
            {
                UsageKey = reader.GetString(0), OccurredAt = reader.GetFieldValue<DateTimeOffset>(1), User = reader.GetString(2),
                Team = Text(3), Provider = Text(4), Model = reader.GetString(5),
                Context = new UsageContext { Tool = Text(6), Repo = Text(7), SessionId = Text(8) },
                Tokens = new TokenCounts(reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14)),
                Cost = new BucketCosts(reader.GetDecimal(15), reader.GetDecimal(16), reader.GetDecimal(17), reader.GetDecimal(18), reader.GetDecimal(19)),
                PriceVersion = reader.IsDBNull(20) ? null : reader.GetString(20),
            }, reader.IsDBNull(21) ? null : reader.GetDecimal(21)));
        }
        return rows;
    }

    public async Task UpdateCostAsync(IReadOnlyList<UsageCharged> charges, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (charges.Count == 0) return;
        await using var command = new NpgsqlCommand(
            $"update {Table} t set input_cost = u.ic, cache_read_cost = u.crc, cache_write_cost = u.cwc, cache_write_1h_cost = u.cw1c, " +
            "output_cost = u.oc, cost = u.c, price_version = u.v " +
            "from unnest(@k, @ic, @crc, @cwc, @cw1c, @oc, @c, @v) as u(k, ic, crc, cwc, cw1c, oc, c, v) where t.usage_key = u.k",
            connection, transaction);
        command.Parameters.AddWithValue("k", charges.Select(c => c.UsageKey).ToArray());
        command.Parameters.AddWithValue("ic", charges.Select(c => c.Cost.Input).ToArray());
        command.Parameters.AddWithValue("crc", charges.Select(c => c.Cost.CacheRead).ToArray());
        command.Parameters.AddWithValue("cwc", charges.Select(c => c.Cost.CacheWrite).ToArray());
        command.Parameters.AddWithValue("cw1c", charges.Select(c => c.Cost.CacheWrite1h).ToArray());
        command.Parameters.AddWithValue("oc", charges.Select(c => c.Cost.Output).ToArray());
        command.Parameters.AddWithValue("c", charges.Select(c => c.Cost.Total).ToArray());
        command.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = charges.Select(c => c.PriceVersion).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }
}
