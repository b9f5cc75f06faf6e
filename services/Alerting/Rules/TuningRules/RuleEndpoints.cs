using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
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

        app.MapPut("/v1/rules/{kind}", async (string kind, HttpContext http, IDocumentSession session, RuleBook rules, TimeProvider clock,
                CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                if (!AlertKinds.Rules.Contains(kind)) errors.Add("kind", $"must be one of {string.Join(", ", AlertKinds.Rules)}");
                if (errors.Any) return errors.ToProblem();
                var (document, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
                if (problem is not null) return problem;
                using var body = document;

                var book = await rules.DocumentAsync(ct, fresh: true);
                var current = JsonSerializer.SerializeToNode(book.Settings.Of(kind), book.Settings.Of(kind).GetType(), Json)!.AsObject();
                foreach (var field in body!.RootElement.EnumerateObject())
                {
                    if (current[field.Name] is not { } existing) { errors.Add(field.Name, "is not a setting of this rule"); continue; }
                    var valid = existing.GetValueKind() switch
                    {
                        JsonValueKind.True or JsonValueKind.False => field.Value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                        _ => field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetDecimal(out var number) && number > 0,
                    };
                    if (!valid) errors.Add(field.Name, existing.GetValueKind() == JsonValueKind.Number ? "must be a number above 0" : "must be true or false");
                    else current[field.Name] = JsonNode.Parse(field.Value.GetRawText());
                }
                object? tuned = null;
                try
                {
                    if (!errors.Any) tuned = current.Deserialize(book.Settings.Of(kind).GetType(), Json);
                }
                catch (JsonException e)
                {
                    errors.Add(e.Path?.TrimStart('$', '.') ?? "$", "has the wrong type (whole numbers where the rule counts)");
                }
                if (errors.Any || tuned is null) return errors.ToProblem();

                var settings = With(book.Settings, kind, tuned);
                session.Events.Append(RuleBookDocument.StreamId, book.Version + 1, new RuleTuned(kind, settings, http.User.Source(), clock.GetUtcNow()));
                session.Store(book with { Settings = settings, Version = book.Version + 1 });
                await session.SaveChangesAsync(ct);
                return Results.Ok(await RuleView(rules, ct, fresh: true));
            })
            .RequireAuthorization(Scopes.Admin).WithName("TuneRule").ProducesValidationProblem();
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
        _ => settings with { Unpriced = (SimpleRule)tuned },
    };
}
