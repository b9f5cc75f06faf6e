using System.Text.Json.Serialization;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;
using Tokenwise.ServiceDefaults.Health;
using Tokenwise.ServiceDefaults.Leadership;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Problems;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Telemetry;

namespace Tokenwise.ServiceDefaults;

/// <summary>What every Tokenwise host needs: the one place that wires storage, messaging, security and telemetry.</summary>
public sealed class TokenwiseServiceOptions
{
    public Action<StoreOptions>? Marten { get; set; }
    public Action<MartenServiceCollectionExtensions.MartenConfigurationExpression>? MartenServices { get; set; }
    public Action<IBusRegistrationConfigurator>? Bus { get; set; }
}

public static class TokenwiseDefaults
{
    public static TokenwiseSettings AddTokenwiseDefaults(
        this WebApplicationBuilder builder,
        string serviceName,
        int defaultPort,
        Action<TokenwiseServiceOptions> configure
    )
    {
        var options = new TokenwiseServiceOptions();
        configure(options);
        var settings = TokenwiseSettings.Read(builder.Configuration, serviceName);
        var services = builder.Services;

        if (
            string.IsNullOrEmpty(builder.Configuration["urls"])
            && string.IsNullOrEmpty(builder.Configuration["http_ports"])
        )
            builder.WebHost.UseUrls($"http://localhost:{defaultPort}");
        if (ManagementPort.Read(builder.Configuration) is { } management)
        {
            services.AddSingleton(management);
            builder.WebHost.UseUrls([.. management.WithUrls(builder.Configuration["urls"]!)]);
        }

        // Per-request framework logs cost more CPU than the request itself at gateway rates; warnings still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Marten", LogLevel.Warning);
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<OutageExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddOpenApi();
        services.AddTokenwiseApiKeys();
        services.AddTokenwiseRateLimits(builder.Configuration);
        services.AddTokenwiseMarten(settings, options.Marten, options.MartenServices);
        services.AddTokenwiseBus(settings, options.Bus);
        services.AddTokenwiseTelemetry(settings, builder.Configuration);
        services.AddScoped<Quarantine>();
        services.AddScoped(provider => new ItemIsolation(provider.GetRequiredService<Quarantine>().AddAsync));
        services.AddSingleton<LeaderElection>();
        services.AddSingleton<PipelineWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<PipelineWatch>());
        services
            .AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<PipelineHealthCheck>("pipeline", tags: ["ready"])
            .AddCheck<LeadershipHealthCheck>("leadership", tags: ["ready"]);
        return settings;
    }

    public static WebApplication UseTokenwiseDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<ManagementPort>() is { } management)
            app.Use(management.Separate);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapFailedMessages();
        app.MapQuarantine();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        // MassTransit tags its bus check "ready": red while RabbitMQ is unreachable.
        app.MapHealthChecks(
            "/health/ready",
            new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains("ready"),
                ResponseWriter = HealthReportWriter.Write,
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            }
        );
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        // A person's view of the same description, served whole from this process: no CDN, no web fonts.
        app.MapScalarApiReference(
            "/docs",
            options => options.WithTitle($"Tokenwise {app.Environment.ApplicationName}").DisableDefaultFonts()
        );
        return app;
    }
}
