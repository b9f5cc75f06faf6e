using System.Globalization;
using Tokenwise.Client.Models;
using Tokenwise.Accounting.Pricing.ImportingPrices;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing;

/// <summary>The price book over HTTP: read it, set a model's price, import LiteLLM's map, set a provider discount.</summary>
internal static class PriceEndpoints
{
    public static void MapPrices(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/prices", async (PriceBookStore store, string? provider, string? model, CancellationToken ct) =>
            {
                var book = await store.CurrentAsync(ct);
                var prices = book.All
                    .Where(p => provider is null || p.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase))
                    .Where(p => model is null || p.Key == ModelNames.Key(provider, model))
                    .OrderBy(p => p.Key).ThenBy(p => p.EffectiveFrom)
                    .Select(p => new PriceView(PriceEntry.From(p).ToView(), p.Version)).ToList();
                return Results.Ok(new PriceBookView(book.Version, prices, book.Discounts.Select(d => d.ToView()).ToList()));
            })
            .RequireAuthorization(Scopes.Read).WithName("GetPrices").Produces<PriceBookView>();

        app.MapPut("/v1/prices/{provider}/{model}", async (string provider, string model, HttpContext http, PriceChanges changes, AdminActions audit, CancellationToken ct) =>
            {
                return await JsonBody.HandleAsync(http.Request, ct, async root =>
                {
                    var errors = new ValidationErrors();
                    var entry = PriceEntryReader.Read(root, provider, model, errors);
                    if (entry is null) return errors.ToProblem();
                    var version = await changes.SetPricesAsync([entry], "api",
                        audit.Of(http.User, AdminActionKinds.PriceSet, ModelNames.Key(entry.Provider, entry.Model), entry), ct);
                    return Results.Ok(new PriceView(entry.ToView(), $"api:{ModelNames.Key(entry.Provider, entry.Model)}@{entry.EffectiveFrom:yyyy-MM-dd}#v{version}"));
                });
            })
            .RequireAuthorization(Scopes.Admin).WithName("SetPrice").Produces<PriceView>().ProducesValidationProblem();

        app.MapPost("/v1/prices/import", async (HttpContext http, PriceChanges changes, AdminActions audit, TimeProvider clock, string? format,
                string? effectiveFrom, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                if (format != "litellm") errors.Add("format", "must be litellm");
                var from = clock.GetUtcNow();
                if (effectiveFrom is not null && !DateTimeOffset.TryParse(effectiveFrom, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
                    errors.Add("effectiveFrom", "must be an RFC 3339 timestamp");
                if (errors.Any) return errors.ToProblem();
                return await JsonBody.HandleAsync(http.Request, ct, async root =>
                {
                    if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                        return JsonBody.Problem(400, "Not a LiteLLM price map", "Expected a JSON object keyed by model name.");
                    var (prices, skipped) = LiteLlmPriceMap.Read(root, from);
                    var version = prices.Count > 0
                        ? await changes.SetPricesAsync(prices, "litellm", audit.Of(http.User, AdminActionKinds.PricesImported, "litellm",
                            new { imported = prices.Count, skipped, effectiveFrom = from, models = prices.Select(p => ModelNames.Key(p.Provider, p.Model)).Take(100) }), ct)
                        : 0;
                    return Results.Ok(new PriceImportResult(prices.Count, skipped, version));
                });
            })
            .RequireAuthorization(Scopes.Admin).WithName("ImportPrices").Produces<PriceImportResult>().ProducesValidationProblem();

        app.MapPut("/v1/prices/discounts/{provider}", async (string provider, HttpContext http, PriceChanges changes, AdminActions audit, TimeProvider clock, CancellationToken ct) =>
            {
                return await JsonBody.HandleAsync(http.Request, ct, async root =>
                {
                    var errors = new ValidationErrors();
                    var f = new JsonFields(root, "", errors);
                    var percent = f.Money("percent");
                    if (percent is null && !f.Has("percent")) f.Fail("percent", "is required");
                    if (percent > 100) f.Fail("percent", "must be between 0 and 100");
                    var from = f.Timestamp("effectiveFrom", required: false) ?? clock.GetUtcNow();
                    if (errors.Any) return errors.ToProblem();
                    var version = await changes.SetDiscountAsync(provider, percent!.Value, from,
                        audit.Of(http.User, AdminActionKinds.DiscountSet, provider.ToLowerInvariant(), new { percent, effectiveFrom = from }), ct);
                    return Results.Ok(new DiscountView(new ProviderDiscount(provider.ToLowerInvariant(), percent.Value, from).ToView(), version));
                });
            })
            .RequireAuthorization(Scopes.Admin).WithName("SetProviderDiscount").Produces<DiscountView>().ProducesValidationProblem();
    }
}
