using JasperFx.Events.Projections;
using MassTransit;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Accounting.Pricing.Repricing;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Accounting.Usage.ChargingUsage;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting;

/// <summary>Builds the Accounting host; Program.cs runs it and tests host it in-process.</summary>
public static class AccountingHost
{
    public const int DefaultPort = 5102;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults("Accounting", DefaultPort, service =>
        {
            service.Marten = store =>
            {
                store.Storage.ExtendedSchemaObjects.Add(HourlySpendTable.Create(store.DatabaseSchemaName));
                store.Storage.ExtendedSchemaObjects.Add(ChargeLedgerTable.Create(store.DatabaseSchemaName));
                store.Storage.ExtendedSchemaObjects.Add(PriceBookVersionTable.Create(store.DatabaseSchemaName));
                store.Projections.Add(new HourlySpendProjection(store.DatabaseSchemaName), ProjectionLifecycle.Async);
            };
            service.MartenServices = marten => marten.AddSubscriptionWithServices<PriceChangeSubscription>(ServiceLifetime.Singleton);
            service.Bus = bus => bus.AddConsumer<UsageRecordedBatchConsumer, UsageRecordedBatchConsumerDefinition>();
        });

        builder.Services.AddSingleton<SpendReader>();
        builder.Services.AddSingleton<PriceBookStore>();
        builder.Services.AddSingleton<ChargeLedger>();
        builder.Services.AddHostedService<PriceBookSeeding>();
        builder.Services.AddSingleton<PriceChanges>();
        builder.Services.AddSingleton<Repricer>();

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapSpendQueries();
        app.MapPrices();
        return app;
    }
}
