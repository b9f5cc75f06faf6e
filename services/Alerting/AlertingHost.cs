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
        builder.AddTokenwiseDefaults("Alerting", DefaultPort, _ => { });

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        return app;
    }
}
