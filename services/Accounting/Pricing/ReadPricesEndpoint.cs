using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Pricing;

/// <summary>GET /v1/prices?provider&amp;model: the price book as it stands, every version of every price, and the discounts.</summary>
internal static class ReadPricesEndpoint
{
    public static void MapReadPrices(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/prices",
                async (PriceBookStore store, string? provider, string? model, CancellationToken ct) =>
                {
                    var book = await store.CurrentAsync(ct);
                    var prices = book
                        .All.Where(p =>
                            provider is null || p.Provider.Equals(provider, StringComparison.OrdinalIgnoreCase)
                        )
                        .Where(p => model is null || p.Key == ModelNames.Key(provider, model))
                        .OrderBy(p => p.Key)
                        .ThenBy(p => p.EffectiveFrom)
                        .Select(p => new PriceView(PriceEntry.From(p).ToView(), p.Version))
                        .ToList();
                    return Results.Ok(
                        new PriceBookView(book.Version, prices, book.Discounts.Select(d => d.ToView()).ToList())
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetPrices")
            .Produces<PriceBookView>();
}
