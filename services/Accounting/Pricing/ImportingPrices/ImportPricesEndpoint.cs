using System.Globalization;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing.ImportingPrices;

/// <summary>POST /v1/prices/import?format=litellm (admin): LiteLLM's price map, as it is, from a date on.</summary>
internal static class ImportPricesEndpoint
{
    public static void MapImportPrices(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/prices/import",
                async (
                    HttpContext http,
                    PriceChanges changes,
                    AdminActions audit,
                    TimeProvider clock,
                    string? format,
                    string? effectiveFrom,
                    CancellationToken ct
                ) =>
                {
                    var errors = new ValidationErrors();
                    if (format != "litellm")
                        errors.Add("format", "must be litellm");
                    var from = clock.GetUtcNow();
                    if (
                        effectiveFrom is not null
                        && !DateTimeOffset.TryParse(
                            effectiveFrom,
                            CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal,
                            out from
                        )
                    )
                        errors.Add("effectiveFrom", "must be an RFC 3339 timestamp");
                    if (errors.Any)
                        return errors.ToProblem();
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                                return JsonBody.Problem(
                                    400,
                                    "Not a LiteLLM price map",
                                    "Expected a JSON object keyed by model name."
                                );
                            var (prices, skipped) = LiteLlmPriceMap.Read(root, from);
                            var version =
                                prices.Count > 0
                                    ? await changes.SetPricesAsync(
                                        prices,
                                        "litellm",
                                        audit.Of(
                                            http.User,
                                            AdminActionKinds.PricesImported,
                                            "litellm",
                                            new
                                            {
                                                imported = prices.Count,
                                                skipped,
                                                effectiveFrom = from,
                                                models = prices
                                                    .Select(p => ModelNames.Key(p.Provider, p.Model))
                                                    .Take(100),
                                            }
                                        ),
                                        ct
                                    )
                                    : 0;
                            return Results.Ok(new PriceImportResult(prices.Count, skipped, version));
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ImportPrices")
            .Produces<PriceImportResult>()
            .ProducesValidationProblem();
}
