using Marten;
using MassTransit;
using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security.KeyChanges;

/// <summary>Reconciles the service's key list with Ingestion's periodic snapshot: what a lost message missed is mended.</summary>
public sealed class ApiKeysSnapshotConsumer(IDocumentSession session, ControlSigner signer) : IConsumer<ApiKeysSnapshot>
{
    public async Task Consume(ConsumeContext<ApiKeysSnapshot> context)
    {
        var snapshot = context.Message;
        if (!signer.Verify(snapshot))
            return;
        var held = await session.Query<KnownApiKey>().ToListAsync(context.CancellationToken);
        var changes = KnownApiKey.Reconcile(held, snapshot);
        if (changes.Count > 0)
            session.Store(changes.ToArray());
        if (snapshot.BootstrapKeyDisabled)
            await BootstrapKeyState.DisableAsync(session, "snapshot", snapshot.TakenAt, context.CancellationToken);
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ApiKeysSnapshotConsumerDefinition(TokenwiseSettings settings)
    : KeyChangesDefinition<ApiKeysSnapshotConsumer>(settings);
