using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing;

/// <summary>PUT /v1/prices/discounts/{provider} (admin): a provider's discount from a date on; its models' history is re-priced.</summary>
internal static class SetDiscountEndpoint
{
    public static void MapSetDiscount(this IEndpointRouteBuilder app) =>
        app.MapPut(
                "/v1/prices/discounts/{provider}",
                async (
                    string provider,
                    HttpContext http,
                    PriceChanges changes,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            var f = new JsonFields(root, "", errors);
                            var percent = f.Money("percent");
                            if (percent is null && !f.Has("percent"))
                                f.Fail("percent", "is required");
                            if (percent > 100)
                                f.Fail("percent", "must be between 0 and 100");
                            var from = f.Timestamp("effectiveFrom", required: false) ?? clock.GetUtcNow();
                            if (errors.Any)
                                return errors.ToProblem();
                            var version = await changes.SetDiscountAsync(
                                provider,
                                percent!.Value,
                                from,
                                audit.Of(
                                    http.User,
                                    AdminActionKinds.DiscountSet,
                                    provider.ToLowerInvariant(),
                                    new { percent, effectiveFrom = from }
                                ),
                                ct
                            );
                            return Results.Ok(
                                new DiscountView(
                                    new ProviderDiscount(provider.ToLowerInvariant(), percent.Value, from).ToView(),
                                    version
                                )
                            );
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("SetProviderDiscount")
            .Produces<DiscountView>()
            .ProducesValidationProblem();
}
