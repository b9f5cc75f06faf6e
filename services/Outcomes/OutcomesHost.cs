using Tokenwise.ServiceDefaults;

namespace Tokenwise.Outcomes;

/// <summary>Builds the Outcomes host; Program.cs runs it and tests host it in-process.</summary>
public static class OutcomesHost
{
    public const int DefaultPort = 5103;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTokenwiseDefaults("Outcomes", DefaultPort, _ => { });

        var app = builder.Build();
        app.UseTokenwiseDefaults();
        return app;
    }
}
