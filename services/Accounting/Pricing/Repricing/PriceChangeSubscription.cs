using System.Data;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Pricing.Repricing;

/// <summary>
/// Re-prices history after every committed price or discount change: the changed model (or the provider's
/// models, for a discount) from the change's effective date on. Includes charges that were unpriced.
/// </summary>
public sealed class PriceChangeSubscription : SubscriptionBase
{
    // Resolved when events arrive: the document store is built with its subscriptions, so they cannot take it in.
    private readonly IServiceProvider _services;
    private readonly TokenwiseSettings _settings;

    public PriceChangeSubscription(IServiceProvider services, TokenwiseSettings settings)
    {
        _services = services;
        _settings = settings;
        Name = "price-change-repricing";
        IncludeType<ModelPriceSet>();
        IncludeType<ProviderDiscountSet>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken
    )
    {
        foreach (var change in page.Events.Select(e => e.Data))
        {
            var (models, from) = change switch
            {
                ModelPriceSet set => ([ModelNames.Key(set.Price.Provider, set.Price.Model)], set.Price.EffectiveFrom),
                ProviderDiscountSet discount => (
                    await ModelsOf(discount.Provider, cancellationToken),
                    discount.EffectiveFrom
                ),
                _ => ((IReadOnlyList<string>)[], DateTimeOffset.MaxValue),
            };
            if (models.Count > 0)
                await _services.GetRequiredService<Repricer>().RepriceAsync(models, from, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    private async Task<IReadOnlyList<string>> ModelsOf(string provider, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select distinct model_key
            from {_settings.Schema}.{ChargeLedgerTable.Name}
            where model_key like @prefix
            """,
            connection
        );
        command.Parameters.AddWithValue("prefix", provider.ToLowerInvariant() + "/%");
        var models = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            models.Add(reader.GetString("model_key"));
        return models;
    }
}
