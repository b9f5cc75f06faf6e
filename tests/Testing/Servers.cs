using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Tokenwise.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ every integration test uses, found once per test run:
/// TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ when set (./test.sh sets them after infra/start.sh), else containers
/// when a Docker engine answers, else a failure that says how to start them.
/// </summary>
public sealed record Servers(string Postgres, Uri RabbitMq, Uri RabbitMqManagement)
{
    private static readonly Lazy<Task<Servers>> Shared = new(ResolveAsync);

    public static Task<Servers> GetAsync() => Shared.Value;

    private static async Task<Servers> ResolveAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("TOKENWISE_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("TOKENWISE_RABBITMQ");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit))
        {
            var management = Environment.GetEnvironmentVariable("TOKENWISE_RABBITMQ_MANAGEMENT") ?? "http://guest:guest@127.0.0.1:15672/";
            return new Servers(postgres, new Uri(rabbit), new Uri(management));
        }
        try
        {
            return await StartContainersAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "Integration tests need PostgreSQL and RabbitMQ. Run ./test.sh (it starts them), or `eval \"$(infra/start.sh)\"` " +
                "before dotnet test, or set TOKENWISE_POSTGRES and TOKENWISE_RABBITMQ, or start a Docker engine for Testcontainers. " +
                "Starting containers failed: " + e.Message, e);
        }
    }

    private static async Task<Servers> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder("postgres:15")
            .WithUsername("postgres").WithPassword("postgres").WithDatabase("tokenwise")
            .WithCommand("-c", "max_connections=500")
            .Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.10-management")
            .WithUsername("guest").WithPassword("guest")
            .WithPortBinding(15672, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(15672).ForPath("/api/overview")
                .WithBasicAuthentication("guest", "guest")))
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        return new Servers(
            postgres.GetConnectionString(),
            new Uri(rabbit.GetConnectionString()),
            new Uri($"http://guest:guest@{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}/"));
    }
}
