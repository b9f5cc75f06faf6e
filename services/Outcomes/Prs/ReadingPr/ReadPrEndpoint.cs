using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Ledger;
using Tokenwise.Outcomes.Quality;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Prs.ReadingPr;

/// <summary>
/// GET /v1/prs/{owner}/{repo}/{number}: what a PR cost, who and which sessions spent it, and how it fared. A limited
/// reader sees the PRs their people wrote or their teams own.
/// </summary>
internal static class ReadPrEndpoint
{
    public static void MapReadPr(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/prs/{owner}/{repo}/{number:int}", async (string owner, string repo, int number, HttpContext http, TokenwiseSettings settings, Readers readers,
                CancellationToken ct) =>
            {
                var key = OutcomeLedger.PrKeyOf($"{owner}/{repo}", number);
                await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
                await connection.OpenAsync(ct);
                await using var pr = new NpgsqlCommand(
                    $"select repo, number, state, author, title, closed_at, ai_assisted, shas, team from {settings.Schema}.{OutcomeTables.Prs} where pr_key = @key", connection);
                pr.Parameters.AddWithValue("key", key);
                await using var prReader = await pr.ExecuteReaderAsync(ct);
                var scope = await readers.ScopeOfAsync(http.User, ct);
                // A limited reader learns nothing of other people's PRs, not even whether they exist.
                var found = await prReader.ReadAsync(ct);
                if (!scope.All && (!found || !scope.MaySee(prReader.IsDBNull(3) ? null : prReader.GetString(3), prReader.IsDBNull(8) ? null : prReader.GetString(8))))
                    return Readers.Forbidden($"{owner}/{repo}#{number}");
                if (!found)
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such PR", detail: $"No outcome names {owner}/{repo}#{number}.");
                var (prRepo, state, author, title, closedAt, ai, shas) = (prReader.GetString(0), prReader.GetString(2),
                    prReader.IsDBNull(3) ? null : prReader.GetString(3), prReader.IsDBNull(4) ? null : prReader.GetString(4),
                    prReader.GetFieldValue<DateTimeOffset>(5), prReader.GetBoolean(6), prReader.GetFieldValue<string[]>(7));
                await prReader.CloseAsync();

                await using var usage = new NpgsqlCommand(
                    $"select count(*), coalesce(sum(cost), 0), coalesce(sum(input_tokens), 0), coalesce(sum(cache_read_tokens), 0), " +
                    "coalesce(sum(cache_write_tokens), 0), coalesce(sum(cache_write_1h_tokens), 0), coalesce(sum(output_tokens), 0), " +
                    "coalesce(sum(reasoning_tokens), 0), coalesce(array_agg(distinct user_id) filter (where user_id is not null), '{}'), " +
                    "coalesce(array_agg(distinct session_id) filter (where session_id is not null), '{}') " +
                    $"from {settings.Schema}.{OutcomeTables.UsageFacts} where attributed_pr = @key", connection);
                usage.Parameters.AddWithValue("key", key);
                await using var u = await usage.ExecuteReaderAsync(ct);
                await u.ReadAsync(ct);
                var requests = u.GetInt64(0);
                var cost = u.GetDecimal(1);
                var tokens = new PrTokens(u.GetInt64(2), u.GetInt64(3), u.GetInt64(4), u.GetInt64(5), u.GetInt64(6), u.GetInt64(7));
                var users = u.GetFieldValue<string[]>(8).Order().ToList();
                var sessions = u.GetFieldValue<string[]>(9).Order().ToList();
                await u.CloseAsync();

                await using var rules = new NpgsqlCommand(
                    $"select rule, count(*) from {settings.Schema}.{OutcomeTables.UsageFacts} where attributed_pr = @key group by rule", connection);
                rules.Parameters.AddWithValue("key", key);
                var byRule = new Dictionary<string, long>();
                await using (var r = await rules.ExecuteReaderAsync(ct))
                    while (await r.ReadAsync(ct)) byRule[r.GetString(0)] = r.GetInt64(1);

                ai = AiAssisted.Of(ai, byRule.Keys);
                var failures = await FailuresNaming(settings, connection, prRepo, number, shas, ct);
                var change = new MergedChange(new PrKey(prRepo, number), null, ai, shas.ToHashSet());
                var linked = failures.Where(f => ChangeFailures.FailedPrs([change], [f.Failure]).Count > 0).ToList();
                return Results.Ok(new PrReport(prRepo, number, state, author, title, closedAt, ai, cost, requests, tokens, users, sessions, byRule,
                    linked.Where(f => f.Failure.Kind == "incident_opened").Select(f => f.Title ?? f.Key).ToList(),
                    linked.Any(f => f.Failure.Kind == "revert")));
            })
            .RequireAuthorization(Scopes.Read)
            .WithName("GetPr")
            .Produces<PrReport>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<List<(string Key, string? Title, Failure Failure)>> FailuresNaming(TokenwiseSettings settings, NpgsqlConnection connection,
        string repo, int number, string[] shas, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select outcome_key, kind, repo, title, pr_numbers, shas from {settings.Schema}.{OutcomeTables.Failures} " +
            "where @number = any(pr_numbers) or exists (select 1 from unnest(shas) s, unnest(@shas) own where own like s || '%' or s like own || '%')", connection);
        command.Parameters.AddWithValue("number", number);
        command.Parameters.AddWithValue("shas", shas);
        var failures = new List<(string, string?, Failure)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            failures.Add((reader.GetString(0), reader.IsDBNull(3) ? null : reader.GetString(3), new Failure(reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<int[]>(4), reader.GetFieldValue<string[]>(5))));
        return failures;
    }
}
