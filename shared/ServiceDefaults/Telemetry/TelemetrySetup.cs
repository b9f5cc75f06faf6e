using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tokenwise.ServiceDefaults.Telemetry;

internal static class TelemetrySetup
{
    public static void AddTokenwiseTelemetry(this IServiceCollection services, TokenwiseSettings settings)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tokenwise-" + settings.ServiceName.ToLowerInvariant()))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Marten", "Tokenwise.*")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("MassTransit", "Marten"));
    }
}
