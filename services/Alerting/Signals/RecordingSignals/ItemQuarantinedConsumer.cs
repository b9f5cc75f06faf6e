using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>An item a service could not take in: a pipeline signal naming where it waits and how to replay it.</summary>
public sealed class ItemQuarantinedConsumer(SignalRecorder signals) : IConsumer<ItemQuarantined>
{
    public Task Consume(ConsumeContext<ItemQuarantined> context)
    {
        var m = context.Message;
        return signals.RecordAsync(
            context,
            $"quarantined:{m.Service}:{m.Queue}:{m.ItemKey}:{m.QuarantinedAt.UtcTicks}",
            new AlertSignal
            {
                Kind = AlertKinds.Pipeline,
                Scope = new AlertScope("service", m.Service.ToLowerInvariant()),
                At = m.QuarantinedAt,
                Severity = Severities.Critical,
                Observed = m.Quarantined,
                Threshold = 0,
                Title =
                    $"{m.Service} quarantined {m.Quarantined} item{(m.Quarantined == 1 ? "" : "s")} it could not take in",
                Detail =
                    $"Latest: {m.ItemKey} from {m.Queue}: {m.Reason.TrimEnd('.')}. The rest of its batch was counted. GET /v1/ops/quarantine on "
                    + $"{m.Service} lists them; fix the cause, then POST /v1/ops/quarantine/replay.",
                Links = new Dictionary<string, string>
                {
                    ["quarantine"] = "/v1/ops/quarantine",
                    ["service"] = m.Service.ToLowerInvariant(),
                },
            }
        );
    }
}

public sealed class ItemQuarantinedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<ItemQuarantinedConsumer>(settings, SignalRecorder.Area);
