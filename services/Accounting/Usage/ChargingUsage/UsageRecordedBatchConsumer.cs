using MassTransit;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Charges each recorded usage once. In one transaction: the batch's items are priced with the book as of this
/// transaction and written to the charge ledger, whose primary key is the claim (a redelivered batch finds its rows
/// there and appends nothing); the new ones are appended as a UsageChargedBatch, and any model seen for the first time
/// without a price is announced once (UnpricedModelSeen). An item that cannot be charged is quarantined alone.
/// </summary>
public sealed class UsageRecordedBatchConsumer(
    IdempotentWriter writer,
    ItemIsolation isolation,
    PriceBookStore prices,
    ChargeLedger ledger,
    TokenwiseSettings settings,
    TimeProvider clock
) : IConsumer<UsageRecordedBatch>
{
    public Task Consume(ConsumeContext<UsageRecordedBatch> context) =>
        isolation.RunAsync(
            context,
            context.Message.Items,
            items => ChargeAsync(items, context.CancellationToken),
            u => u.Key,
            u => new UsageRecordedBatch { BatchId = BatchIds.Of([u.Key]), Items = [u] }
        );

    private async Task ChargeAsync(IReadOnlyList<UsageRecorded> items, CancellationToken ct)
    {
        await writer.WriteAsync(
            async write =>
            {
                var book = await prices.ForTransactionAsync(write.Connection, write.Transaction, ct);
                var priced = items
                    .DistinctBy(u => u.Key)
                    .Select(u => (Charge: ChargeUsage.Decide(u, book), Reported: u.ReportedCostUsd))
                    .ToList();
                var inserted = await ledger.InsertAsync(priced, write.Connection, write.Transaction, ct);
                if (inserted.Count == 0)
                    return;
                var charges = priced.Where(c => inserted.Contains(c.Charge.UsageKey)).ToList();
                var batchId = BatchIds.Of(charges.Select(c => c.Charge.UsageKey));
                var stream = ChargeUsage.StreamKey(batchId);
                write.Session.Events.Append(
                    stream,
                    new UsageChargedBatch { BatchId = batchId, Items = charges.Select(c => c.Charge).ToList() }
                );

                var unpriced = charges
                    .Where(c => c.Charge.PriceVersion is null)
                    .GroupBy(c => ModelNames.Key(c.Charge.Provider, c.Charge.Model))
                    .ToDictionary(g => "unpriced:" + g.Key, g => g.First().Charge);
                if (unpriced.Count == 0)
                    return;
                var firstSeen = await IdempotentWriter.ClaimAsync(
                    settings.Schema,
                    unpriced.Keys.Order(StringComparer.Ordinal).ToArray(),
                    write.Connection,
                    write.Transaction,
                    ct
                );
                foreach (var key in firstSeen)
                    write.Session.Events.Append(
                        stream,
                        new UnpricedModelSeen
                        {
                            Provider = unpriced[key].Provider ?? "unknown",
                            Model = ModelNames.Normalize(unpriced[key].Model),
                            FirstUsageKey = unpriced[key].UsageKey,
                            FirstSeenAt = clock.GetUtcNow(),
                        }
                    );
            },
            ct
        );
    }
}
