using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>Messages that failed every retry: an alert per error queue while it holds any, resolved when it is empty.</summary>
public sealed class MessagesFailedConsumer(SignalRecorder signals) : IConsumer<MessagesFailed>
{
    public Task Consume(ConsumeContext<MessagesFailed> context)
    {
        var m = context.Message;
        return signals.RecordAsync(
            context,
            $"failed:{m.Queue}:{m.ObservedAt.UtcTicks}:{m.Count}",
            new AlertSignal
            {
                Kind = AlertKinds.Pipeline,
                Scope = new AlertScope("queue", m.Queue),
                At = m.ObservedAt,
                Holds = m.Count > 0,
                Severity = Severities.Critical,
                Observed = m.Count,
                Threshold = 0,
                Title = $"{m.Count} message{(m.Count == 1 ? "" : "s")} failed every retry in {m.Queue}",
                Detail =
                    m.Count > 0
                        ? $"They wait in {m.Queue}_error. GET /v1/ops/failed-messages on {m.Service} lists them with the reason; "
                            + "POST /v1/ops/failed-messages/replay sends them back."
                        : $"{m.Queue}_error is empty again.",
                Links = new Dictionary<string, string>
                {
                    ["failedMessages"] = "/v1/ops/failed-messages",
                    ["service"] = m.Service.ToLowerInvariant(),
                },
            }
        );
    }
}

public sealed class MessagesFailedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<MessagesFailedConsumer>(settings, SignalRecorder.Area);
