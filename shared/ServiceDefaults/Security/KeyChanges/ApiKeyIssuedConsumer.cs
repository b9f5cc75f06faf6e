using Marten;
using MassTransit;
using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security.KeyChanges;

public sealed class ApiKeyIssuedConsumer(IDocumentSession session, ControlSigner signer) : IConsumer<ApiKeyIssued>
{
    public async Task Consume(ConsumeContext<ApiKeyIssued> context)
    {
        if (!signer.Verify(context.Message))
            return;
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Issued(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ApiKeyIssuedConsumerDefinition(TokenwiseSettings settings)
    : KeyChangesDefinition<ApiKeyIssuedConsumer>(settings);
