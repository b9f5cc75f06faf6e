using JasperFx.Events.Projections;
using MassTransit;
using Tokenwise.Accounting.Adoption;
using Tokenwise.Accounting.Budgets;
using Tokenwise.Accounting.Budgets.Monitoring;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.People;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Accounting.Pricing.ImportingPrices;
using Tokenwise.Accounting.Pricing.Repricing;
using Tokenwise.Accounting.Reconciliation;
using Tokenwise.Accounting.Spend;
using Tokenwise.Accounting.Spend.ForecastingSpend;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Accounting.Spend.RebuildingSpend;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Accounting.Usage.ChargingUsage;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting;

/// <summary>Builds the Accounting host; Program.cs runs it and tests host it in-process.</summary>
public static class AccountingHost
{
    public const int DefaultPort = 5102;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults(
            "Accounting",
            DefaultPort,
            service =>
            {
                service.Marten = store =>
                {
                    store.Storage.ExtendedSchemaObjects.Add(HourlySpendTable.Create(store.DatabaseSchemaName));
                    store.Storage.ExtendedSchemaObjects.Add(DailySpendTable.Create(store.DatabaseSchemaName));
                    store.Storage.ExtendedSchemaObjects.Add(ChargeLedgerTable.Create(store.DatabaseSchemaName));
                    store.Storage.ExtendedSchemaObjects.Add(PriceBookVersionTable.Create(store.DatabaseSchemaName));
                    store.Storage.ExtendedSchemaObjects.Add(PeopleTable.Create(store.DatabaseSchemaName));
                    store.Projections.Add(
                        new HourlySpendProjection(store.DatabaseSchemaName),
                        ProjectionLifecycle.Inline
                    );
                    store.Projections.Add<BudgetProjection>(ProjectionLifecycle.Inline);
                    BinaryEvents.Use<UsageChargedBatch>(store);
                    BinaryEvents.Use<UsageRepricedBatch>(store);
                };
                service.MartenServices = marten =>
                    marten
                        .AddSubscriptionWithServices<PriceChangeSubscription>(ServiceLifetime.Singleton)
                        .AddSubscriptionWithServices<BudgetMonitorSubscription>(ServiceLifetime.Singleton);
                service.Bus = bus =>
                {
                    bus.AddConsumer<UsageRecordedBatchConsumer, UsageRecordedBatchConsumerDefinition>();
                    bus.AddConsumer<DirectoryConsumer, DirectoryConsumerDefinition>();
                };
            }
        );

        builder.Services.AddSingleton<SpendReader>();
        builder.Services.AddSingleton<PriceBookStore>();
        builder.Services.AddSingleton<ChargeLedger>();
        builder.Services.AddSingleton<ReconciliationReader>();
        builder.Services.AddSingleton<AdoptionReader>();
        builder.Services.AddSingleton<SpendForecastReader>();
        builder.Services.AddSingleton<HourlySpendRebuild>();
        builder.Services.AddHostedService<AccountingDatabaseSetup>();
        builder.Services.AddSingleton<PriceChanges>();
        builder.Services.AddSingleton<Repricer>();
        builder.Services.AddSingleton<BudgetSpend>();
        builder.Services.AddSingleton<BudgetMonitor>();

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapSpendQueries();
        app.MapReadPrices();
        app.MapSetPrice();
        app.MapImportPrices();
        app.MapSetDiscount();
        app.MapSpendExport();
        app.MapReconciliation();
        app.MapAdoption();
        app.MapSpendForecast();
        app.MapRebuildSpend();
        app.MapSetBudget();
        app.MapReadBudgets();
        return app;
    }
}
