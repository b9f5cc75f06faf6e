using Marten;
using MassTransit;
using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security.KeyChanges;

public sealed class BootstrapKeyDisabledConsumer(IDocumentSession session, ControlSigner signer)
    : IConsumer<BootstrapKeyDisabled>
{
    public async Task Consume(ConsumeContext<BootstrapKeyDisabled> context)
    {
        if (!signer.Verify(context.Message))
            return;
        await BootstrapKeyState.DisableAsync(
            session,
            context.Message.By,
            context.Message.At,
            context.CancellationToken
        );
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class BootstrapKeyDisabledConsumerDefinition(TokenwiseSettings settings)
    : KeyChangesDefinition<BootstrapKeyDisabledConsumer>(settings);
