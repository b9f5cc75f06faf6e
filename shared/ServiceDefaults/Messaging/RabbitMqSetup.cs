using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Security.KeyChanges;

namespace Tokenwise.ServiceDefaults.Messaging;

internal static class RabbitMqSetup
{
    public static void AddTokenwiseBus(
        this IServiceCollection services,
        TokenwiseSettings settings,
        Action<IBusRegistrationConfigurator>? configure
    )
    {
        var queues = new ServiceQueues();
        services.AddSingleton(queues);
        services.AddSingleton<FailedMessages>();
        services.AddMassTransit(bus =>
        {
            bus.AddConfigureEndpointsCallback((_, name, _) => queues.Add(name));
            // Every durable queue is a quorum queue, replicated across the cluster's nodes: a node that stops loses no
            // accepted message. Error and skipped queues are declared like their queue.
            bus.AddRabbitMqConfigureEndpointsCallback(
                (_, name, endpoint) =>
                {
                    if (!InstanceQueue.Is(name))
                        endpoint.SetQuorumQueue();
                }
            );
            // Queue names carry the service name ("accounting-usage-recorded") so every service gets its own copy.
            bus.SetEndpointNameFormatter(
                new KebabCaseEndpointNameFormatter(settings.ServiceName.ToLowerInvariant(), false)
            );
            bus.AddConsumer<ApiKeyIssuedConsumer, ApiKeyIssuedConsumerDefinition>();
            bus.AddConsumer<ApiKeyRevokedConsumer, ApiKeyRevokedConsumerDefinition>();
            bus.AddConsumer<ApiKeysSnapshotConsumer, ApiKeysSnapshotConsumerDefinition>();
            bus.AddConsumer<BootstrapKeyDisabledConsumer, BootstrapKeyDisabledConsumerDefinition>();
            // No calls home: deployments are often offline, and a failed report only adds noise to the logs.
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            configure?.Invoke(bus);
            bus.UsingRabbitMq(
                (context, rabbit) =>
                {
                    var uri = settings.RabbitMqUri;
                    var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
                    var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
                    rabbit.Host(
                        uri.Host,
                        (ushort)(uri.IsDefaultPort ? 5672 : uri.Port),
                        string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost,
                        host =>
                        {
                            // TokenwiseSettings refuses an address without a user and password.
                            host.Username(credentials[0]);
                            host.Password(credentials[1]);
                            host.PublisherConfirmation = true;
                            if (settings.BrokerNodes.Count > 0)
                                host.UseCluster(cluster =>
                                {
                                    foreach (var (name, port) in settings.BrokerNodes)
                                        cluster.Node($"{name}:{port}");
                                });
                        }
                    );
                    // Unset optional fields stay out of the message, and a batch's items travel as MessagePack: a charged
                    // batch is a thousand items, read by two services.
                    rabbit.ConfigureJsonSerializerOptions(json =>
                    {
                        json.DefaultIgnoreCondition = System
                            .Text
                            .Json
                            .Serialization
                            .JsonIgnoreCondition
                            .WhenWritingNull;
                        BatchItemsEncoding.AddTo(json);
                        return json;
                    });
                    rabbit.ConfigureEndpoints(context);
                }
            );
        });
        // Start-up waits for the broker so a ready service has its queues bound before anything is published.
        services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
    }
}
