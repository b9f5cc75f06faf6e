using Marten;
using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Usage.ChargingUsage;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;
using SessionOptions = Marten.Services.SessionOptions;

namespace Tokenwise.Accounting.Pricing.Repricing;

/// <summary>
/// Brings the charges of some models, from a time on, in line with the current price book: a page at a time, the
/// ledger rows are locked, re-priced, updated and a UsageRepricedBatch with the differences is appended, all in one
/// transaction. Running it twice changes nothing the second time, so it is safe to repeat after a crash.
/// </summary>
public sealed class Repricer(
    IDocumentStore store,
    PriceBookStore prices,
    ChargeLedger ledger,
    TokenwiseSettings settings,
    ILogger<Repricer> logger
)
{
    public const int PageSize = 1000;

    public async Task<int> RepriceAsync(IReadOnlyList<string> modelKeys, DateTimeOffset from, CancellationToken ct)
    {
        var after = "";
        var repriced = 0;
        while (true)
        {
            await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var book = await prices.ForTransactionAsync(connection, transaction, ct);
            var page = await ledger.LockPageAsync(modelKeys, from, after, PageSize, connection, transaction, ct);
            var changed = page.Select(row => (Old: row.Charge, New: ChargeUsage.Reprice(row.Charge, book)))
                .Where(c => c.New is not null)
                .Select(c => new UsageRepriced
                {
                    Charge = c.New!,
                    PreviousCost = c.Old.Cost,
                    PreviousPriceVersion = c.Old.PriceVersion,
                })
                .ToList();
            if (changed.Count > 0)
            {
                await ledger.UpdateCostAsync(changed.Select(c => c.Charge).ToList(), connection, transaction, ct);
                var batchId = BatchIds.Of(changed.Select(c => c.Charge.UsageKey + "@" + c.Charge.PriceVersion));
                await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
                session.Events.Append(
                    "reprice:" + batchId + ":" + book.Version,
                    new UsageRepricedBatch { BatchId = batchId, Items = changed }
                );
                await session.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
            repriced += changed.Count;
            if (page.Count < PageSize)
                break;
            after = page[^1].Charge.UsageKey;
        }
        if (repriced > 0)
            logger.LogInformation("Re-priced {Count} charges of {Models} from {From}", repriced, modelKeys, from);
        return repriced;
    }
}
