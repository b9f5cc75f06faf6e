using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing;

/// <summary>PUT /v1/prices/{provider}/{model} (admin): a model's price from a date on; history from then is re-priced.</summary>
internal static class SetPriceEndpoint
{
    public static void MapSetPrice(this IEndpointRouteBuilder app) =>
        app.MapPut(
                "/v1/prices/{provider}/{model}",
                async (
                    string provider,
                    string model,
                    HttpContext http,
                    PriceChanges changes,
                    AdminActions audit,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            var entry = PriceEntryReader.Read(root, provider, model, errors);
                            if (entry is null)
                                return errors.ToProblem();
                            var version = await changes.SetPricesAsync(
                                [entry],
                                "api",
                                audit.Of(
                                    http.User,
                                    AdminActionKinds.PriceSet,
                                    ModelNames.Key(entry.Provider, entry.Model),
                                    entry
                                ),
                                ct
                            );
                            return Results.Ok(
                                new PriceView(
                                    entry.ToView(),
                                    $"api:{ModelNames.Key(entry.Provider, entry.Model)}@{entry.EffectiveFrom:yyyy-MM-dd}#v{version}"
                                )
                            );
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("SetPrice")
            .Produces<PriceView>()
            .ProducesValidationProblem();
}
