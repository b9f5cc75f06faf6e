using System.Data;
using Npgsql;
using NpgsqlTypes;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

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
    public async Task<HashSet<string>> InsertAsync(
        IReadOnlyList<(UsageCharged Charge, decimal? Reported)> charges,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (charges.Count == 0)
            return inserted;
        var rows = charges.OrderBy(c => c.Charge.UsageKey, StringComparer.Ordinal).ToList();
        await using var command = new NpgsqlCommand(
            $"""
            insert into {Table} (
              usage_key, occurred_at, user_id, team, provider, model, model_key, tool, repo, session_id,
              input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
              input_cost, cache_read_cost, cache_write_cost, cache_write_1h_cost, output_cost, cost,
              price_version, reported_cost)
            select *
            from unnest(
              @usage_key, @occurred_at, @user_id, @team, @provider, @model, @model_key, @tool, @repo, @session_id,
              @input_tokens, @cache_read_tokens, @cache_write_tokens, @cache_write_1h_tokens, @output_tokens, @reasoning_tokens,
              @input_cost, @cache_read_cost, @cache_write_cost, @cache_write_1h_cost, @output_cost, @cost,
              @price_version, @reported_cost)
            on conflict (usage_key) do nothing
            returning usage_key
            """,
            connection,
            transaction
        );
        void Add<T>(string name, NpgsqlDbType type, Func<UsageCharged, decimal?, T> value) =>
            command.Parameters.Add(
                new NpgsqlParameter(name, NpgsqlDbType.Array | type)
                {
                    Value = rows.Select(r => value(r.Charge, r.Reported)).ToArray(),
                }
            );
        Add("usage_key", NpgsqlDbType.Text, (c, _) => c.UsageKey);
        Add("occurred_at", NpgsqlDbType.TimestampTz, (c, _) => c.OccurredAt.UtcDateTime);
        Add("user_id", NpgsqlDbType.Text, (c, _) => c.User);
        Add("team", NpgsqlDbType.Text, (c, _) => c.Team ?? "");
        Add("provider", NpgsqlDbType.Text, (c, _) => c.Provider ?? "");
        Add("model", NpgsqlDbType.Text, (c, _) => c.Model);
        Add("model_key", NpgsqlDbType.Text, (c, _) => ModelNames.Key(c.Provider, c.Model));
        Add("tool", NpgsqlDbType.Text, (c, _) => c.Context.Tool ?? "");
        Add("repo", NpgsqlDbType.Text, (c, _) => c.Context.Repo ?? "");
        Add("session_id", NpgsqlDbType.Text, (c, _) => c.Context.SessionId ?? "");
        Add("input_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Input);
        Add("cache_read_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheRead);
        Add("cache_write_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheWrite);
        Add("cache_write_1h_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.CacheWrite1h);
        Add("output_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Output);
        Add("reasoning_tokens", NpgsqlDbType.Bigint, (c, _) => c.Tokens.Reasoning);
        Add("input_cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.Input);
        Add("cache_read_cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheRead);
        Add("cache_write_cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheWrite);
        Add("cache_write_1h_cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.CacheWrite1h);
        Add("output_cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.Output);
        Add("cost", NpgsqlDbType.Numeric, (c, _) => c.Cost.Total);
        Add("price_version", NpgsqlDbType.Text, (c, _) => c.PriceVersion);
        Add("reported_cost", NpgsqlDbType.Numeric, (_, reported) => reported);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            inserted.Add(reader.GetString("usage_key"));
        return inserted;
    }

    /// <summary>Charges of these models from a time on, locked for update, in usage-key order, a page at a time.</summary>
    public async Task<List<(UsageCharged Charge, decimal? Reported)>> LockPageAsync(
        IReadOnlyList<string> modelKeys,
        DateTimeOffset from,
        string afterKey,
        int pageSize,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select usage_key, occurred_at, user_id, team, provider, model, tool, repo, session_id,
                   input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
                   input_cost, cache_read_cost, cache_write_cost, cache_write_1h_cost, output_cost,
                   price_version, reported_cost
            from {Table}
            where model_key = any(@models)
              and occurred_at >= @from
              and usage_key > @after
            order by usage_key
            limit @size
            for update
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("models", modelKeys.ToArray());
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("after", afterKey);
        command.Parameters.AddWithValue("size", pageSize);
        var rows = new List<(UsageCharged, decimal?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(string column) => reader.GetString(column) is { Length: > 0 } s ? s : null;
            long Tokens(string bucket) => reader.GetInt64(bucket + "_tokens");
            decimal Cost(string bucket) => reader.GetDecimal(bucket + "_cost");
            rows.Add(
                (
                    new UsageCharged
                    {
                        UsageKey = reader.GetString("usage_key"),
                        OccurredAt = reader.GetFieldValue<DateTimeOffset>("occurred_at"),
                        User = reader.GetString("user_id"),
                        Team = Text("team"),
                        Provider = Text("provider"),
                        Model = reader.GetString("model"),
                        Context = new UsageContext
                        {
                            Tool = Text("tool"),
                            Repo = Text("repo"),
                            SessionId = Text("session_id"),
                        },
                        Tokens = new TokenCounts(
                            Tokens("input"),
                            Tokens("cache_read"),
                            Tokens("cache_write"),
                            Tokens("cache_write_1h"),
                            Tokens("output"),
                            Tokens("reasoning")
                        ),
                        Cost = new BucketCosts(
                            Cost("input"),
                            Cost("cache_read"),
                            Cost("cache_write"),
                            Cost("cache_write_1h"),
                            Cost("output")
                        ),
                        PriceVersion = reader.GetStringOrNull("price_version"),
                    },
                    reader.GetValueOrNull<decimal>("reported_cost")
                )
            );
        }
        return rows;
    }

    public async Task UpdateCostAsync(
        IReadOnlyList<UsageCharged> charges,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        if (charges.Count == 0)
            return;
        await using var command = new NpgsqlCommand(
            $"""
            update {Table} t
            set input_cost = u.input_cost, cache_read_cost = u.cache_read_cost, cache_write_cost = u.cache_write_cost,
                cache_write_1h_cost = u.cache_write_1h_cost, output_cost = u.output_cost, cost = u.cost,
                price_version = u.price_version
            from unnest(@usage_key, @input_cost, @cache_read_cost, @cache_write_cost, @cache_write_1h_cost, @output_cost, @cost, @price_version)
              as u(usage_key, input_cost, cache_read_cost, cache_write_cost, cache_write_1h_cost, output_cost, cost, price_version)
            where t.usage_key = u.usage_key
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("usage_key", charges.Select(c => c.UsageKey).ToArray());
        command.Parameters.AddWithValue("input_cost", charges.Select(c => c.Cost.Input).ToArray());
        command.Parameters.AddWithValue("cache_read_cost", charges.Select(c => c.Cost.CacheRead).ToArray());
        command.Parameters.AddWithValue("cache_write_cost", charges.Select(c => c.Cost.CacheWrite).ToArray());
        command.Parameters.AddWithValue("cache_write_1h_cost", charges.Select(c => c.Cost.CacheWrite1h).ToArray());
        command.Parameters.AddWithValue("output_cost", charges.Select(c => c.Cost.Output).ToArray());
        command.Parameters.AddWithValue("cost", charges.Select(c => c.Cost.Total).ToArray());
        command.Parameters.Add(
            new NpgsqlParameter("price_version", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = charges.Select(c => c.PriceVersion).ToArray(),
            }
        );
        await command.ExecuteNonQueryAsync(ct);
    }
}
