using System.Text.Json;
using System.Text.Json.Nodes;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Rules;

/// <summary>
/// GET /v1/rules (read): every rule's settings. PUT /v1/rules/{kind} (admin): the fields given replace those of
/// that rule, the rest stay; recorded as a <see cref="RuleTuned"/> event.
/// </summary>
internal static class RuleEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapRules(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/rules",
                async (RuleBook rules, CancellationToken ct) => Results.Ok(View(await rules.CurrentAsync(ct)))
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetRules");

        app.MapPut(
                "/v1/rules/{kind}",
                async (string kind, HttpContext http, RuleBook rules, CancellationToken ct) =>
                {
                    var errors = new ValidationErrors();
                    if (!AlertKinds.Rules.Contains(kind))
                        errors.Add("kind", $"must be one of {string.Join(", ", AlertKinds.Rules)}");
                    if (errors.Any)
                        return errors.ToProblem();
                    return await JsonBody.HandleObjectAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var book = await rules.TuneAsync(
                                kind,
                                current => Tune(current, root, errors),
                                http.User,
                                ct
                            );
                            return book is null ? errors.ToProblem() : Results.Ok(View(book.Settings));
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("TuneRule")
            .ProducesValidationProblem();
    }

    /// <summary>The rule's settings with the body's fields replacing its own; null (and errors) when a field is wrong.</summary>
    private static object? Tune(object current, JsonElement body, ValidationErrors errors)
    {
        var fields = JsonSerializer.SerializeToNode(current, current.GetType(), Json)!.AsObject();
        foreach (var field in body.EnumerateObject())
        {
            if (fields[field.Name] is not { } existing)
            {
                errors.Add(field.Name, "is not a setting of this rule");
                continue;
            }
            var valid = existing.GetValueKind() switch
            {
                JsonValueKind.True or JsonValueKind.False => field.Value.ValueKind
                    is JsonValueKind.True
                        or JsonValueKind.False,
                _ => field.Value.ValueKind == JsonValueKind.Number
                    && field.Value.TryGetDecimal(out var number)
                    && number > 0,
            };
            if (!valid)
                errors.Add(
                    field.Name,
                    existing.GetValueKind() == JsonValueKind.Number
                        ? "must be a number above 0"
                        : "must be true or false"
                );
            else
                fields[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        }
        if (errors.Any)
            return null;
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

    private static Dictionary<string, object> View(RuleSettings settings) =>
        AlertKinds.Rules.ToDictionary(kind => kind, settings.Of);
}
