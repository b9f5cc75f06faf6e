using Marten;
using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Audit;

/// <summary>
/// Gathers every service's admin actions into the audit log. Idempotent: an entry is stored under its own id, so a
/// redelivery writes the same row again. Only entries signed by a service are taken.
/// </summary>
public sealed class AdminActionRecordedConsumer(IDocumentSession session, ControlSigner signer)
    : IConsumer<AdminActionRecorded>
{
    public async Task Consume(ConsumeContext<AdminActionRecorded> context)
    {
        if (!signer.Verify(context.Message))
            return;
        session.Store(AuditEntry.From(context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class AdminActionRecordedConsumerDefinition : ConsumerDefinition<AdminActionRecordedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<AdminActionRecordedConsumer> consumer,
        IRegistrationContext context
    ) => endpoint.UseTransientRetry(context);
}
