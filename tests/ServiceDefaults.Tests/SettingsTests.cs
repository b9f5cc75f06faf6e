using Microsoft.Extensions.Configuration;

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
}
