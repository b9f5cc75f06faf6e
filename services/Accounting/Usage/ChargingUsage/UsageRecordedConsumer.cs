using Marten;
using Marten.Exceptions;
using MassTransit;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Charges each recorded usage once. The charge starts a stream keyed by the usage key, so a redelivered message
/// (the relay publishes at least once) collides with the committed stream and is acknowledged as a duplicate.
/// </summary>
public sealed class UsageRecordedConsumer(IDocumentSession session, ILogger<UsageRecordedConsumer> logger)
    : IConsumer<UsageRecorded>
{
    public async Task Consume(ConsumeContext<UsageRecorded> context)
    {
        var usage = context.Message;
        session.Events.StartStream(ChargeUsage.StreamKey(usage.Key), ChargeUsage.Decide(usage));
        try
        {
            await session.SaveChangesAsync(context.CancellationToken);
        }
        catch (ExistingStreamIdCollisionException)
        {
            logger.LogDebug("Usage {UsageKey} was already charged; duplicate delivery ignored", usage.Key);
        }
    }
}
