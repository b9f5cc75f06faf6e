using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Alerts.ReadingAlerts;
using Tokenwise.Alerting.Breakers;
using Tokenwise.Alerting.Desk;
using Tokenwise.Alerting.Publishing;
using Tokenwise.Alerting.Rules;
using Tokenwise.Alerting.Signals;
using Tokenwise.Alerting.Signals.RecordingSignals;
using Tokenwise.Alerting.Watching;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Alerting.Watching.TakingIn;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Alerting;

/// <summary>Builds the Alerting host; Program.cs runs it and tests host it in-process.</summary>
public static class AlertingHost
{
    public const int DefaultPort = 5104;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults(
            "Alerting",
            DefaultPort,
            service =>
            {
                service.Marten = store =>
                {
                    store.Storage.ExtendedSchemaObjects.AddRange(WatchTables.Create(store.DatabaseSchemaName));
                    store.Schema.For<Alert>().Index(a => a.Slot).Index(a => a.RaisedAt);
                    // Created at start with the rest, not by whichever instance first stores one.
                    store.Schema.For<RuleBookDocument>();
                    store.Schema.For<BreakerDocument>();
                };
                service.MartenServices = marten =>
                    marten
                        .AddSubscriptionWithServices<AlertDesk>(ServiceLifetime.Singleton)
                        .AddSubscriptionWithServices<AlertPublisher>(ServiceLifetime.Singleton);
                service.Bus = bus =>
                {
                    bus.AddConsumer<UsageChargedBatchConsumer, UsageChargedBatchConsumerDefinition>();
                    bus.AddConsumer<UsageRepricedBatchConsumer, UsageRepricedBatchConsumerDefinition>();
                    bus.AddConsumer<UserPromptConsumer, UserPromptConsumerDefinition>();
                    bus.AddConsumer<DirectoryChangeConsumer, DirectoryChangeConsumerDefinition>();
                    bus.AddConsumer<BudgetThresholdCrossedConsumer, BudgetThresholdCrossedConsumerDefinition>();
                    bus.AddConsumer<BudgetProjectedToRunOutConsumer, BudgetProjectedToRunOutConsumerDefinition>();
                    bus.AddConsumer<BudgetExhaustedConsumer, BudgetExhaustedConsumerDefinition>();
                    bus.AddConsumer<ZeroOutcomeSpendDetectedConsumer, ZeroOutcomeSpendDetectedConsumerDefinition>();
                    bus.AddConsumer<QualityRegressionDetectedConsumer, QualityRegressionDetectedConsumerDefinition>();
                    bus.AddConsumer<UnpricedModelSeenConsumer, UnpricedModelSeenConsumerDefinition>();
                    bus.AddConsumer<ItemQuarantinedConsumer, ItemQuarantinedConsumerDefinition>();
                    bus.AddConsumer<MessagesFailedConsumer, MessagesFailedConsumerDefinition>();
                    bus.AddConsumer<BreakerChangesConsumer, BreakerChangesConsumerDefinition>();
                };
            }
        );
        builder.Services.AddSingleton<RuleBook>();
        builder.Services.AddScoped<SignalRecorder>();
        builder.Services.AddSingleton<WatchWriter>();
        builder.Services.AddSingleton<WatchReader>();
        builder.Services.AddSingleton<BreakerBoard>();
        builder.Services.AddHostedService<AlertExchange>();
        builder.Services.AddHostedService<BreakerBoardSync>();
        builder.Services.AddSingleton<Evaluator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Evaluator>());

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapRules();
        app.MapReadAlerts();
        app.MapAlertActions();
        app.MapBreakers();
        return app;
    }
}
