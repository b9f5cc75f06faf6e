using System.Text.Json;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using RabbitMQ.Client;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Publishing;

/// <summary>
/// Publishes every alert state change (raised, escalated, acknowledged, resolved) and breaker change from committed
/// events to the durable topic exchange tokenwise.alerts as plain JSON, with publisher confirms; progress is saved
/// only after the broker confirmed the page, so a crash republishes (same message id) rather than loses.
/// </summary>
public sealed class AlertPublisher : SubscriptionBase
{
    public const string Exchange = "tokenwise.alerts";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TokenwiseSettings _settings;
    private readonly ILogger<AlertPublisher> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public AlertPublisher(TokenwiseSettings settings, ILogger<AlertPublisher> logger)
    {
        _settings = settings;
        _logger = logger;
        Name = "alert-publisher";
        IncludeType<AlertRaised>();
        IncludeType<AlertEscalated>();
        IncludeType<AlertAcknowledged>();
        IncludeType<AlertResolved>();
        IncludeType<BreakerChanged>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken ct
    )
    {
        var messages = page
            .Events.Select(e =>
                (
                    e.Id,
                    Message: e.Data switch
                    {
                        AlertRaised x => AlertMessage.From(x.Alert),
                        AlertEscalated x => AlertMessage.From(x.Alert),
                        AlertAcknowledged x => AlertMessage.From(x.Alert),
                        AlertResolved x => AlertMessage.From(x.Alert),
                        BreakerChanged x => AlertMessage.From(x),
                        _ => null,
                    }
                )
            )
            .Where(m => m.Message is not null)
            .ToList();
        if (messages.Count == 0)
            return NullChangeListener.Instance;

        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var channel = await ChannelAsync(ct);
                foreach (var (id, message) in messages)
                    await channel.BasicPublishAsync(
                        Exchange,
                        message!.RoutingKey,
                        false,
                        new BasicProperties
                        {
                            ContentType = "application/json",
                            DeliveryMode = DeliveryModes.Persistent,
                            MessageId = id.ToString(),
                            Type = "tokenwise.alert",
                        },
                        JsonSerializer.SerializeToUtf8Bytes(message, Json),
                        ct
                    );
                return NullChangeListener.Instance;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogWarning(e, "Publishing alerts failed; retrying in {Delay}", delay);
                await ResetAsync();
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true })
                return _channel;
            _connection = await BrokerConnection.OpenAsync(_settings, "tokenwise-alerting-publisher", ct);
            // Tracked confirms: each publish returns once the broker has the message.
            _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            await _channel.ExchangeDeclareAsync(
                Exchange,
                ExchangeType.Topic,
                durable: true,
                autoDelete: false,
                cancellationToken: ct
            );
            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ResetAsync()
    {
        try
        {
            if (_channel is not null)
                await _channel.DisposeAsync();
            if (_connection is not null)
                await _connection.DisposeAsync();
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Closing the alert publisher's connection failed");
        }
        (_channel, _connection) = (null, null);
    }

    public override async ValueTask DisposeAsync() => await ResetAsync();
}
