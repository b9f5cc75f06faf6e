using Marten;
using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// Every service keeps its own copy of the key list from Ingestion's key messages, and takes only those a service
/// signed (<see cref="ControlSigner"/>): anyone who can publish to the broker could otherwise issue themselves an
/// admin key. Idempotent: upserts, a revocation is final, and the snapshot reconciles rather than replaces.
/// </summary>
public sealed class ApiKeyChangesConsumer(IDocumentSession session, ControlSigner signer)
    : IConsumer<ApiKeyIssued>, IConsumer<ApiKeyRevoked>, IConsumer<ApiKeysSnapshot>, IConsumer<BootstrapKeyDisabled>
{
    public async Task Consume(ConsumeContext<ApiKeyIssued> context)
    {
        if (!signer.Verify(context.Message)) return;
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Issued(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        if (!signer.Verify(context.Message)) return;
        var existing = await session.LoadAsync<KnownApiKey>(context.Message.KeyId, context.CancellationToken);
        session.Store(KnownApiKey.Revoked(existing, context.Message));
        await session.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ApiKeysSnapshot> context)
    {
        var snapshot = context.Message;
        if (!signer.Verify(snapshot)) return;
        var held = await session.Query<KnownApiKey>().ToListAsync(context.CancellationToken);
        var changes = KnownApiKey.Reconcile(held, snapshot);
        if (changes.Count > 0) session.Store(changes.ToArray());
        if (snapshot.BootstrapKeyDisabled) await DisableBootstrapAsync("snapshot", snapshot.TakenAt, context.CancellationToken);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<BootstrapKeyDisabled> context)
    {
        if (!signer.Verify(context.Message)) return;
        await DisableBootstrapAsync(context.Message.By, context.Message.At, context.CancellationToken);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    private async Task DisableBootstrapAsync(string by, DateTimeOffset at, CancellationToken ct)
    {
        var state = await session.LoadAsync<BootstrapKeyState>(BootstrapKeyState.DocumentId, ct);
        if (state?.DisabledAt is not null) return;
        session.Store(new BootstrapKeyState { DisabledAt = at, DisabledBy = by });
    }
}

public sealed class ApiKeyChangesConsumerDefinition : ConsumerDefinition<ApiKeyChangesConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ApiKeyChangesConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseTransientRetry(context);
        // Issue, revoke and snapshot must not race: one message at a time is plenty for key changes.
        endpoint.ConcurrentMessageLimit = 1;
    }
}
