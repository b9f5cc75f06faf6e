using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Usage.RecordingUsage;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Ingestion;

/// <summary>Builds the Ingestion host; Program.cs runs it and tests host it in-process.</summary>
public static class IngestionHost
{
    public const int DefaultPort = 5101;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults("Ingestion", DefaultPort, _ => { });
        builder.Services.AddScoped<UsageStore>();

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        app.MapRecordUsage();
        return app;
    }
}
