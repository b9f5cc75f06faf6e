using Marten;
using MassTransit;
using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security.KeyChanges;

public sealed class ApiKeyRevokedConsumer(IDocumentSession session, ControlSigner signer) : IConsumer<ApiKeyRevoked>
{
    public async Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        if (!signer.Verify(context.Message))
            return;
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Revoked(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ApiKeyRevokedConsumerDefinition(TokenwiseSettings settings)
    : KeyChangesDefinition<ApiKeyRevokedConsumer>(settings);
