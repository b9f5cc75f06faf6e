using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Audit;
using SessionOptions = Marten.Services.SessionOptions;

namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// Records price and discount changes: bumps the book's version (waiting for charges in flight to commit) and
/// appends the changes, and the audit entry for them, in the same transaction. Re-pricing of the history they affect
/// follows from the events.
/// </summary>
public sealed class PriceChanges(IDocumentStore store, TokenwiseSettings settings, TimeProvider clock)
{
    public async Task<long> SetPricesAsync(
        IReadOnlyList<PriceEntry> entries,
        string source,
        AdminActionRecorded audit,
        CancellationToken ct
    ) =>
        await InTransaction(
            audit,
            (session, version) =>
            {
                foreach (var entry in entries)
                    session.Events.Append(
                        PriceBookStream.Key,
                        new ModelPriceSet(
                            entry,
                            source,
                            $"{source}:{ModelNames.Key(entry.Provider, entry.Model)}@{entry.EffectiveFrom:yyyy-MM-dd}#v{version}",
                            clock.GetUtcNow()
                        )
                    );
            },
            ct
        );

    public async Task<long> SetDiscountAsync(
        string provider,
        decimal percent,
        DateTimeOffset effectiveFrom,
        AdminActionRecorded audit,
        CancellationToken ct
    ) =>
        await InTransaction(
            audit,
            (session, version) =>
                session.Events.Append(
                    PriceBookStream.Key,
                    new ProviderDiscountSet(
                        provider.ToLowerInvariant(),
                        percent,
                        effectiveFrom,
                        version,
                        clock.GetUtcNow()
                    )
                ),
            ct
        );

    private async Task<long> InTransaction(
        AdminActionRecorded audit,
        Action<IDocumentSession, long> append,
        CancellationToken ct
    )
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var seed = new NpgsqlCommand(PriceBookVersionTable.Seed(settings.Schema), connection, transaction))
            await seed.ExecuteNonQueryAsync(ct);
        await using var bump = new NpgsqlCommand(PriceBookVersionTable.Bump(settings.Schema), connection, transaction);
        var version = (long)(await bump.ExecuteScalarAsync(ct))!;
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
        append(session, version);
        AdminActions.Record(session, audit);
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return version;
    }
}
