using System.Globalization;
using System.Text;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend;

/// <summary>
/// GET /v1/spend/export?format=csv&amp;… — the rows of GET /v1/spend as CSV (RFC 4180), streamed as they are read,
/// with a header line; numbers use '.' and no thousands separator whatever the server's culture. It has no row cap
/// (it is the way to get everything): its memory stays constant, and its work is bounded by the 400-day range.
/// Text a spreadsheet would run as a formula is escaped (<see cref="Cell"/>).
/// </summary>
internal static class SpendExportEndpoint
{
    private static readonly string[] Measures =
    [
        "requests",
        "unpriced_requests",
        "input_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
        "input_cost_usd",
        "cache_read_cost_usd",
        "cache_write_cost_usd",
        "cache_write_1h_cost_usd",
        "output_cost_usd",
        "cost_usd",
    ];

    public static void MapSpendExport(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/spend/export",
                async (
                    HttpContext http,
                    SpendReader reader,
                    Readers readers,
                    TimeProvider clock,
                    string? format,
                    string? groupBy,
                    string? from,
                    string? to,
                    string? interval,
                    string? timeZone,
                    CancellationToken ct
                ) =>
                {
                    var (query, errors) = SpendQuery.Parse(groupBy, from, to, interval, timeZone, clock.GetUtcNow());
                    if (format is not ("csv" or null))
                        errors["format"] = ["must be csv"];
                    if (query is null || errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var scope = await readers.ScopeOfAsync(http.User, ct);

                    http.Response.ContentType = "text/csv; charset=utf-8";
                    http.Response.Headers.ContentDisposition =
                        $"attachment; filename=\"spend-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}.csv\"";
                    await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
                    await writer.WriteLineAsync(string.Join(',', query.GroupBy.Append("period").Concat(Measures)));
                    await foreach (var row in reader.ReadAsync(query, scope, ct))
                    {
                        var f = row.Figures;
                        object[] values =
                        [
                            .. query.GroupBy.Select(d => (object)Cell.Text(row.Group[d])),
                            row.Period ?? "",
                            f.Requests,
                            f.UnpricedRequests,
                            f.Tokens.Input,
                            f.Tokens.CacheRead,
                            f.Tokens.CacheWrite,
                            f.Tokens.CacheWrite1h,
                            f.Tokens.Output,
                            f.Tokens.Reasoning,
                            f.Cost.Input,
                            f.Cost.CacheRead,
                            f.Cost.CacheWrite,
                            f.Cost.CacheWrite1h,
                            f.Cost.Output,
                            f.CostUsd,
                        ];
                        await writer.WriteLineAsync(string.Join(',', values.Select(Cell.Field)));
                    }
                    return Results.Empty;
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("ExportSpend")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
}

/// <summary>CSV cells as a spreadsheet will read them.</summary>
public static class Cell
{
    /// <summary>
    /// A name as text a spreadsheet will not run: one that starts with =, +, -, @, a tab or a carriage return would be
    /// taken for a formula (CSV injection), so it gains a leading apostrophe, which spreadsheets show as text.
    /// </summary>
    public static string Text(string name) =>
        name.Length > 0 && name[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + name : name;

    /// <summary>A value as an RFC 4180 field: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Field(object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? '"' + text.Replace("\"", "\"\"") + '"' : text;
    }
}
