using MassTransit;
using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Efficiency;
using Tokenwise.Outcomes.Observing;
using Tokenwise.Outcomes.Observing.TakingIn;
using Tokenwise.Outcomes.Prs.ReadingPr;
using Tokenwise.Outcomes.Prs.SearchingPrs;
using Tokenwise.Outcomes.Quality;
using Tokenwise.Outcomes.Quality.Detecting;
using Tokenwise.Outcomes.Rebuilding;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes;

/// <summary>Builds the Outcomes host; Program.cs runs it and tests host it in-process.</summary>
public static class OutcomesHost
{
    public const int DefaultPort = 5103;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults(
            "Outcomes",
            DefaultPort,
            service =>
            {
                service.Marten = store =>
                {
                    store.Storage.ExtendedSchemaObjects.AddRange(OutcomeTables.Create(store.DatabaseSchemaName));
                    BinaryEvents.Use<UsageObserved>(store);
                };
                service.MartenServices = marten =>
                    marten.AddSubscriptionWithServices<AttributionSubscription>(ServiceLifetime.Singleton);
                service.Bus = bus =>
                {
                    bus.AddConsumer<UsageChargedBatchConsumer, UsageChargedBatchConsumerDefinition>();
                    bus.AddConsumer<UsageRepricedBatchConsumer, UsageRepricedBatchConsumerDefinition>();
                    bus.AddConsumer<OutcomeRecordedConsumer, OutcomeRecordedConsumerDefinition>();
                    bus.AddConsumer<DirectoryChangeConsumer, DirectoryChangeConsumerDefinition>();
                };
            }
        );
        builder.Services.AddRollupTables(UsageDailyTable.Rollup, UsageDailyTable.ByPersonRollup);
        builder.Services.AddSingleton<OutcomeStore>();
        builder.Services.AddSingleton<AttributionStore>();
        builder.Services.AddSingleton(services => new AttributionPass(
            services.GetRequiredService<AttributionStore>(),
            AttributionRules.WindowFrom(builder.Configuration)
        ));
        builder.Services.AddSingleton<EfficiencyFactsReader>();
        builder.Services.AddSingleton<PrReader>();
        builder.Services.AddSingleton<OutcomesRebuilder>();
        builder.Services.AddSingleton(DetectionOptions.Read(builder.Configuration));
        builder.Services.AddHostedService<Detector>();

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapReadPr();
        app.MapSearchPrs();
        app.MapEfficiency();
        return app;
    }
}
