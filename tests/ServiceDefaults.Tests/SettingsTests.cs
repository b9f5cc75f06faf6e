using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Tests;

/// <summary>A service has no built-in logins: it starts only with the ones it is given.</summary>
public sealed class SettingsTests
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["TOKENWISE_POSTGRES"] = "Host=db;Username=tokenwise;Password=p;Database=tokenwise",
        ["TOKENWISE_RABBITMQ"] = "amqp://tokenwise:secret@broker:5672/",
        ["TOKENWISE_CONTROL_SECRET"] = "0123456789abcdef",
    };

    private static TokenwiseSettings Read(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(Complete);
        foreach (var (key, value) in changes)
            values[key] = value;
        return TokenwiseSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "Accounting");
    }

    [Fact]
    public void The_given_logins_are_used()
    {
        var settings = Read();
        Assert.Equal(("broker", "tokenwise:secret"), (settings.RabbitMqUri.Host, settings.RabbitMqUri.UserInfo));
        Assert.Contains("Username=tokenwise", settings.PostgresConnectionString);
    }

    [Theory]
    [InlineData("TOKENWISE_POSTGRES", null)]
    [InlineData("TOKENWISE_RABBITMQ", null)]
    [InlineData("TOKENWISE_RABBITMQ", "amqp://broker:5672/")]
    [InlineData("TOKENWISE_RABBITMQ", "amqp://tokenwise@broker:5672/")]
    [InlineData("TOKENWISE_CONTROL_SECRET", "short")]
    public void A_missing_login_or_secret_stops_the_service_at_start_naming_the_variable(string key, string? value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read((key, value)));
        Assert.Contains(key, refused.Message);
    }

    [Fact]
    public void Statements_are_prepared_on_each_connection_and_still_planned_for_each_call()
    {
        var postgres = new NpgsqlConnectionStringBuilder(Read().PostgresConnectionString);
        Assert.Equal(
            (TokenwiseSettings.PreparedStatementsPerConnection, 2),
            (postgres.MaxAutoPrepare, postgres.AutoPrepareMinUsages)
        );
        Assert.Equal("-c plan_cache_mode=force_custom_plan", postgres.Options);
        Assert.Equal(("db", "tokenwise", "p"), (postgres.Host, postgres.Username, postgres.Password));
    }

    [Fact]
    public void A_standby_pair_and_its_options_are_kept()
    {
        var postgres = new NpgsqlConnectionStringBuilder(
            Read(
                (
                    "TOKENWISE_POSTGRES",
                    "Host=pg1:5432,pg2:5433;Target Session Attributes=primary;Username=u;Password=p;Options=-c statement_timeout=5s"
                )
            ).PostgresConnectionString
        );
        Assert.Equal("pg1:5432,pg2:5433", postgres.Host);
        Assert.Equal("primary", postgres.TargetSessionAttributes, ignoreCase: true);
        Assert.Equal("-c statement_timeout=5s -c plan_cache_mode=force_custom_plan", postgres.Options);
    }

    [Theory]
    [InlineData("Host=db;Username=u;Password=p;Max Auto Prepare=0")]
    [InlineData("Host=db;Username=u;Password=p;MaxAutoPrepare=20")]
    public void A_connection_string_that_sets_its_own_preparing_is_used_as_given(string given) =>
        Assert.Equal(given, Read(("TOKENWISE_POSTGRES", given)).PostgresConnectionString);
}
