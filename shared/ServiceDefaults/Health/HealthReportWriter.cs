using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tokenwise.ServiceDefaults.Health;

/// <summary>Writes which checks passed, so an operator sees whether PostgreSQL or RabbitMQ made a service unready.</summary>
internal static class HealthReportWriter
{
    public static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(
            context.Response.Body,
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new
                    {
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description,
                        data = e.Value.Data.Count == 0 ? null : e.Value.Data,
                    }
                ),
            }
        );
    }
}
