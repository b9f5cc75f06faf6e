using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Tokenwise.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ every integration test uses, found once per test run:
/// TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ (with TOKENWISE_POSTGRES_ADMIN and TOKENWISE_RABBITMQ_MANAGEMENT) when set
/// (./test.sh sets them after infra/start.sh), else containers when a Docker engine answers, else a failure that says
/// how to start them. <see cref="Postgres"/> is the services' login; <see cref="PostgresAdmin"/> an administrator's.
/// </summary>
public sealed record Servers(string Postgres, string PostgresAdmin, Uri RabbitMq, Uri RabbitMqManagement)
{
    /// <summary>The broker's nodes ("host:port,..."), when it is a cluster (TOKENWISE_RABBITMQ_NODES).</summary>
    public string? RabbitMqNodes { get; init; }

    private static readonly Lazy<Task<Servers>> Shared = new(ResolveAsync);

    public static Task<Servers> GetAsync() => Shared.Value;

    private static async Task<Servers> ResolveAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("TOKENWISE_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("TOKENWISE_RABBITMQ");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit))
        {
            string Required(string name) =>
                Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
                    ? value
                    : throw new InvalidOperationException(
                        $"{name} is not set; infra/start.sh prints it with TOKENWISE_POSTGRES and TOKENWISE_RABBITMQ."
                    );
            return new Servers(
                postgres,
                Required("TOKENWISE_POSTGRES_ADMIN"),
                new Uri(rabbit),
                new Uri(Required("TOKENWISE_RABBITMQ_MANAGEMENT"))
            );
        }
        try
        {
            return await StartContainersAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "Integration tests need PostgreSQL and RabbitMQ. Run ./test.sh (it starts them), or `eval \"$(infra/start.sh)\"` "
                    + "before dotnet test, or set TOKENWISE_POSTGRES and TOKENWISE_RABBITMQ, or start a Docker engine for Testcontainers. "
                    + "Starting containers failed: "
                    + e.Message,
                e
            );
        }
    }

    private static async Task<Servers> StartContainersAsync()
    {
        // Throwaway containers for one test run, still with passwords nobody knows in advance.
        var (pgPassword, rabbitPassword) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        var postgres = new PostgreSqlBuilder("postgres:15")
            .WithUsername("tokenwise_admin")
            .WithPassword(pgPassword)
            .WithDatabase("tokenwise")
            .WithCommand("-c", "max_connections=500")
            .Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.10-management")
            .WithUsername("tokenwise")
            .WithPassword(rabbitPassword)
            .WithPortBinding(15672, true)
            .WithWaitStrategy(
                Wait.ForUnixContainer()
                    .UntilHttpRequestIsSucceeded(r =>
                        r.ForPort(15672).ForPath("/api/overview").WithBasicAuthentication("tokenwise", rabbitPassword)
                    )
            )
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        return new Servers(
            postgres.GetConnectionString(),
            postgres.GetConnectionString(),
            new Uri(rabbit.GetConnectionString()),
            new Uri($"http://tokenwise:{rabbitPassword}@{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}/")
        );
    }
}
