using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>The servers Tokenwise starts answer to generated logins only: the well-known defaults are refused.</summary>
public sealed class DefaultLoginTests
{
    [Fact]
    public async Task PostgreSQL_refuses_postgres_postgres_and_the_services_login_is_not_a_superuser()
    {
        var servers = await Servers.GetAsync();
        var defaults = new NpgsqlConnectionStringBuilder(servers.Postgres)
        {
            Username = "postgres",
            Password = "postgres",
            Pooling = false,
        };
        await using (var connection = new NpgsqlConnection(defaults.ConnectionString))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        }

        await using var services = new NpgsqlConnection(servers.Postgres);
        await services.OpenAsync();
        await using var role = new NpgsqlCommand(
            "select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = current_user",
            services
        );
        Assert.Equal(false, await role.ExecuteScalarAsync());
    }

    [Fact]
    public async Task RabbitMQ_refuses_guest_guest()
    {
        var servers = await Servers.GetAsync();
        var guest = new UriBuilder(servers.RabbitMq) { UserName = "guest", Password = "guest" }.Uri;
        await Assert.ThrowsAsync<BrokerUnreachableException>(() =>
            new ConnectionFactory { Uri = guest }.CreateConnectionAsync()
        );
        await using var services = await new ConnectionFactory { Uri = servers.RabbitMq }.CreateConnectionAsync();
        Assert.True(services.IsOpen);
    }
}
