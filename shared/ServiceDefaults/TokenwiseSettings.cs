using Microsoft.Extensions.Configuration;

namespace Tokenwise.ServiceDefaults;

/// <summary>The configuration every Tokenwise service reads; environment variables and appsettings both work.</summary>
public sealed record TokenwiseSettings(
    string ServiceName,
    string PostgresConnectionString,
    Uri RabbitMqUri,
    string Schema,
    bool RunDaemon,
    string? BootstrapKey)
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=tokenwise;SSL Mode=Disable";
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    public static TokenwiseSettings Read(IConfiguration configuration, string serviceName) => new(
        serviceName,
        configuration["TOKENWISE_POSTGRES"] ?? configuration.GetConnectionString("Postgres") ?? DefaultPostgres,
        new Uri(configuration["TOKENWISE_RABBITMQ"] ?? configuration.GetConnectionString("RabbitMq") ?? DefaultRabbitMq),
        // Each service owns one schema; tests prefix it so parallel test classes never share tables.
        (configuration["Tokenwise:SchemaPrefix"] ?? "") + serviceName.ToLowerInvariant(),
        // Marten's async daemon runs Solo (HotCold does not work with this Marten build): exactly one instance
        // per service may run it; the others serve HTTP and consume messages with Tokenwise:RunDaemon=false.
        configuration.GetValue("Tokenwise:RunDaemon", true),
        NullIfEmpty(configuration["TOKENWISE_BOOTSTRAP_KEY"]));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
