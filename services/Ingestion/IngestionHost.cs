using JasperFx.Events.Projections;
using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.AgentTelemetry;
using Tokenwise.Ingestion.Audit;
using Tokenwise.Ingestion.Keys;
using Tokenwise.Ingestion.OutcomeReports;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Ingestion;

/// <summary>Builds the Ingestion host; Program.cs runs it and tests host it in-process.</summary>
public static class IngestionHost
{
    public const int DefaultPort = 5101;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults(
            "Ingestion",
            DefaultPort,
            service =>
            {
                service.Marten = store =>
                {
                    store.Projections.Add<DirectoryEntryProjection>(ProjectionLifecycle.Inline);
                    BinaryEvents.Use<UsageRecordedBatch>(store);
                    store.Schema.For<AuditEntry>().Index(e => e.Action.At);
                };
                service.Bus = bus =>
                    bus.AddConsumer<AdminActionRecordedConsumer, AdminActionRecordedConsumerDefinition>();
            }
        );
        builder.Services.AddSingleton(IntakeLimits.Read(builder.Configuration));
        builder.Services.AddScoped<IdentityResolver>();
        builder.Services.AddSingleton<Tokenwise.ServiceDefaults.Security.IPeopleDirectory, DirectoryPeople>();
        builder.Services.AddScoped<UsageIntake>();
        builder.Services.AddOutcomes(builder.Configuration);
        builder.Services.AddSingleton(KeySnapshotSchedule.Read(builder.Configuration));
        builder.Services.AddHostedService<KeySnapshotPublisher>();

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapUsage();
        app.MapOtlp();
        app.MapOutcomes();
        app.MapKeys();
        app.MapSetUser();
        app.MapReadUsers();
        app.MapReadAudit();
        return app;
    }
}
