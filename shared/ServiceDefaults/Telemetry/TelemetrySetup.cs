using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tokenwise.ServiceDefaults.Telemetry;

internal static class TelemetrySetup
{
    public static void AddTokenwiseTelemetry(
        this IServiceCollection services,
        TokenwiseSettings settings,
        IConfiguration configuration
    )
    {
        var telemetry = services
            .AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tokenwise-" + settings.ServiceName.ToLowerInvariant()))
            .WithMetrics(metrics =>
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("MassTransit", "Marten", "Tokenwise.*")
                    .AddPrometheusExporter()
            );
        // Traces cost CPU on every request and message; collect them only when there is somewhere to send them.
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.WithTracing(tracing =>
                tracing.AddAspNetCoreInstrumentation().AddSource("MassTransit", "Marten").AddOtlpExporter()
            );
    }
}
