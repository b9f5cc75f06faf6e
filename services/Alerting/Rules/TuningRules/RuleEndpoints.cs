using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Rules.TuningRules;

/// <summary>
/// GET /v1/rules (read): every rule's settings. PUT /v1/rules/{kind} (admin): the fields given replace those of
/// that rule, the rest stay; recorded as a <see cref="RuleTuned"/> event.
/// </summary>
internal static class RuleEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/rules", async (RuleBook rules, CancellationToken ct) => Results.Ok(await RuleView(rules, ct)))
            .RequireAuthorization(Scopes.Read).WithName("GetRules");

        app.MapPut("/v1/rules/{kind}", async (string kind, HttpContext http, IDocumentStore store, RuleBook rules, TokenwiseSettings settings,
                AdminActions audit, TimeProvider clock, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                if (!AlertKinds.Rules.Contains(kind)) errors.Add("kind", $"must be one of {string.Join(", ", AlertKinds.Rules)}");
                if (errors.Any) return errors.ToProblem();
                return await JsonBody.HandleObjectAsync(http.Request, ct, async root =>
                {
                    // Tunings are applied one at a time across instances (a transaction-scoped advisory lock), each to the
                    // book as the one before left it, so two PUTs at once both hold.
                    await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
                    await connection.OpenAsync(ct);
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await using (var lockRules = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@key))", connection, transaction))
                    {
                        lockRules.Parameters.AddWithValue("key", $"{settings.Schema}.{RuleBookDocument.StreamId}");
                        await lockRules.ExecuteNonQueryAsync(ct);
                    }
                    await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
                    var book = await session.LoadAsync<RuleBookDocument>(RuleBookDocument.StreamId, ct) ?? new RuleBookDocument();
                    var tuned = Tune(book.Settings.Of(kind), root, errors);
                    if (errors.Any || tuned is null) return errors.ToProblem();
                    var tunedSettings = With(book.Settings, kind, tuned);
                    session.Events.Append(RuleBookDocument.StreamId, book.Version + 1, new RuleTuned(kind, tunedSettings, http.User.Source(), clock.GetUtcNow()));
                    session.Store(book with { Settings = tunedSettings, Version = book.Version + 1 });
                    audit.Record(session, http.User, AdminActionKinds.RuleTuned, kind, tuned);
                    await session.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    return Results.Ok(await RuleView(rules, ct, fresh: true));
                });
            })
            .RequireAuthorization(Scopes.Admin).WithName("TuneRule").ProducesValidationProblem();
    }

    /// <summary>The rule's settings with the body's fields replacing its own; null (and errors) when a field is wrong.</summary>
    private static object? Tune(object current, JsonElement body, ValidationErrors errors)
    {
        var fields = JsonSerializer.SerializeToNode(current, current.GetType(), Json)!.AsObject();
        foreach (var field in body.EnumerateObject())
        {
            if (fields[field.Name] is not { } existing) { errors.Add(field.Name, "is not a setting of this rule"); continue; }
            var valid = existing.GetValueKind() switch
            {
                JsonValueKind.True or JsonValueKind.False => field.Value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                _ => field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetDecimal(out var number) && number > 0,
            };
            if (!valid) errors.Add(field.Name, existing.GetValueKind() == JsonValueKind.Number ? "must be a number above 0" : "must be true or false");
            else fields[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        }
        if (errors.Any) return null;
        try
        {
            return fields.Deserialize(current.GetType(), Json);
        }
        catch (JsonException e)
        {
            errors.Add(e.Path?.TrimStart('$', '.') ?? "$", "has the wrong type (whole numbers where the rule counts)");
            return null;
        }
    }

    private static async Task<Dictionary<string, object>> RuleView(RuleBook rules, CancellationToken ct, bool fresh = false)
    {
        var settings = (await rules.DocumentAsync(ct, fresh)).Settings;
        return AlertKinds.Rules.ToDictionary(kind => kind, settings.Of);
    }

    private static RuleSettings With(RuleSettings settings, string kind, object tuned) => kind switch
    {
        AlertKinds.Budget => settings with { Budget = (BudgetRule)tuned },
        AlertKinds.BurnRate => settings with { BurnRate = (BurnRateRule)tuned },
        AlertKinds.Runaway => settings with { Runaway = (RunawayRule)tuned },
        AlertKinds.TokenBurn => settings with { TokenBurn = (TokenBurnRule)tuned },
        AlertKinds.Quality => settings with { Quality = (SimpleRule)tuned },
        AlertKinds.Pipeline => settings with { Pipeline = (SimpleRule)tuned },
        _ => settings with { Unpriced = (SimpleRule)tuned },
    };
}
