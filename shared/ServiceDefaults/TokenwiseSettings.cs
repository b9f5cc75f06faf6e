using Microsoft.Extensions.Configuration;

namespace Tokenwise.ServiceDefaults;

/// <summary>The configuration every Tokenwise service reads; environment variables and appsettings both work.</summary>
public sealed record TokenwiseSettings(
    string ServiceName,
    string PostgresConnectionString,
    Uri RabbitMqUri,
    string Schema,
    bool RunDaemon,
    string? BootstrapKey,
    TimeSpan RetryFor,
    string ControlSecret
)
{
    public static readonly TimeSpan DefaultRetryFor = TimeSpan.FromMinutes(12);

    /// <summary>The most broker nodes TOKENWISE_RABBITMQ_NODES may list.</summary>
    public const int MaxBrokerNodes = 9;

    /// <summary>
    /// TOKENWISE_RABBITMQ_NODES: the nodes of a RabbitMQ cluster as host:port, comma-separated. The services connect to
    /// any that answers (and move to another when it stops), with the user, password and virtual host of
    /// TOKENWISE_RABBITMQ. Empty: TOKENWISE_RABBITMQ's own host only.
    /// </summary>
    public IReadOnlyList<(string Host, ushort Port)> BrokerNodes { get; init; } = [];

    public static TokenwiseSettings Read(IConfiguration configuration, string serviceName) =>
        new(
            serviceName,
            Required(configuration, "TOKENWISE_POSTGRES", configuration.GetConnectionString("Postgres")),
            BrokerAddress(Required(configuration, "TOKENWISE_RABBITMQ", configuration.GetConnectionString("RabbitMq"))),
            // Each service owns one schema; tests prefix it so parallel test classes never share tables.
            (configuration["Tokenwise:SchemaPrefix"] ?? "") + serviceName.ToLowerInvariant(),
            // Every instance may lead the daemon and the singleton loops (one at a time, elected); an instance with
            // Tokenwise:RunDaemon=false never does, and only serves HTTP and consumes messages.
            configuration.GetValue("Tokenwise:RunDaemon", true),
            NullIfEmpty(configuration["TOKENWISE_BOOTSTRAP_KEY"]),
            RetryMinutes(configuration),
            ControlSecretOf(configuration)
        )
        {
            BrokerNodes = BrokerNodesOf(configuration["TOKENWISE_RABBITMQ_NODES"]),
        };

    /// <summary>Reads TOKENWISE_RABBITMQ_NODES ("host:port,host:port"); refuses anything else, naming the variable.</summary>
    public static IReadOnlyList<(string Host, ushort Port)> BrokerNodesOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var nodes = new List<(string, ushort)>();
        foreach (var node in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = node.LastIndexOf(':');
            if (
                colon <= 0
                || !ushort.TryParse(node[(colon + 1)..], out var port)
                || port == 0
                || Uri.CheckHostName(node[..colon]) == UriHostNameType.Unknown
            )
                throw new InvalidOperationException(
                    $"TOKENWISE_RABBITMQ_NODES must be host:port pairs separated by commas; '{node}' is not one."
                );
            nodes.Add((node[..colon], port));
        }
        if (nodes.Count > MaxBrokerNodes)
            throw new InvalidOperationException(
                $"TOKENWISE_RABBITMQ_NODES lists {nodes.Count} nodes; at most {MaxBrokerNodes} are read."
            );
        return nodes;
    }

    /// <summary>
    /// TOKENWISE_CONTROL_SECRET, which signs the messages that change who may do what (ControlSigner): required, and
    /// long enough not to be guessed. ./run.sh and infra/start.sh generate one into .run/.
    /// </summary>
    private static string ControlSecretOf(IConfiguration configuration)
    {
        var secret = configuration["TOKENWISE_CONTROL_SECRET"];
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 16)
            throw new InvalidOperationException(
                "TOKENWISE_CONTROL_SECRET must be set to the secret the services share (at least 16 characters); ./run.sh keeps one in .run/control-secret."
            );
        return secret;
    }

    /// <summary>How long consumers retry a transient failure (Tokenwise:Messaging:RetryMinutes, 0.05 to 1,440).</summary>
    private static TimeSpan RetryMinutes(IConfiguration configuration)
    {
        var text = configuration["Tokenwise:Messaging:RetryMinutes"];
        if (string.IsNullOrWhiteSpace(text))
            return DefaultRetryFor;
        if (
            double.TryParse(
                text,
                System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture,
                out var minutes
            ) && minutes is >= 0.05 and <= 1_440
        )
            return TimeSpan.FromMinutes(minutes);
        throw new InvalidOperationException(
            $"Tokenwise:Messaging:RetryMinutes must be a number of minutes from 0.05 to 1440; it is '{text}'."
        );
    }

    /// <summary>No built-in address with a well-known password: the servers' logins come from the environment.</summary>
    private static string Required(IConfiguration configuration, string name, string? fallback) =>
        NullIfEmpty(configuration[name])
        ?? NullIfEmpty(fallback)
        ?? throw new InvalidOperationException(
            $"{name} must be set; `eval \"$(infra/start.sh)\"` prints it with the generated credentials (./run.sh does this)."
        );

    private static Uri BrokerAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "amqp" or "amqps"
        && Uri.UnescapeDataString(uri.UserInfo).Split(':', 2) is [{ Length: > 0 }, { Length: > 0 }]
            ? uri
            : throw new InvalidOperationException(
                "TOKENWISE_RABBITMQ must be amqp://user:password@host:port/vhost, with the user and password spelled out."
            );

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
