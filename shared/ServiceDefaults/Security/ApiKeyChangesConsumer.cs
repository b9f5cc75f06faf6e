using Marten;
using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Every service keeps its own copy of the key list from Ingestion's key events. Idempotent: an upsert.</summary>
public sealed class ApiKeyChangesConsumer(IDocumentSession session) : IConsumer<ApiKeyIssued>, IConsumer<ApiKeyRevoked>
{
    public async Task Consume(ConsumeContext<ApiKeyIssued> context)
    {
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Issued(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Revoked(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ApiKeyChangesConsumerDefinition : ConsumerDefinition<ApiKeyChangesConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ApiKeyChangesConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseTransientRetry(context);
        // Issue and revoke of one key must not race: one message at a time is plenty for key changes.
        endpoint.ConcurrentMessageLimit = 1;
    }
}
