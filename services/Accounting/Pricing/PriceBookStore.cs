using Marten;
using Npgsql;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// The current price book: the default file plus every recorded change, rebuilt in memory only when the version
/// row says it changed, so pricing a batch costs one row read.
/// </summary>
public sealed class PriceBookStore(IDocumentStore store, TokenwiseSettings settings)
{
    private readonly IReadOnlyList<ModelPrice> _defaults = PriceBookFile.Load(PriceBookFile.DefaultPath);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private PriceBook? _current;

    /// <summary>The book as of the version read (for share) in this transaction.</summary>
    public async Task<PriceBook> ForTransactionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var read = new NpgsqlCommand(
            PriceBookVersionTable.ReadForShare(settings.Schema),
            connection,
            transaction
        );
        var version = (long)(await read.ExecuteScalarAsync(ct) ?? 0L);
        return await AtVersionAsync(version, ct);
    }

    public async Task<PriceBook> CurrentAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var read = new NpgsqlCommand(PriceBookVersionTable.Read(settings.Schema), connection);
        return await AtVersionAsync((long)(await read.ExecuteScalarAsync(ct) ?? 0L), ct);
    }

    private async Task<PriceBook> AtVersionAsync(long version, CancellationToken ct)
    {
        if (_current is { } cached && cached.Version >= version)
            return cached;
        await _reload.WaitAsync(ct);
        try
        {
            if (_current is { } fresh && fresh.Version >= version)
                return fresh;
            await using var session = store.QuerySession();
            var changes = await session.Events.FetchStreamAsync(PriceBookStream.Key, token: ct);
            var prices = _defaults.Concat(
                changes.Select(e => e.Data).OfType<ModelPriceSet>().Select(c => c.Price.ToPrice(c.Version))
            );
            var discounts = changes
                .Select(e => e.Data)
                .OfType<ProviderDiscountSet>()
                .Select(d => new ProviderDiscount(d.Provider, d.Percent, d.EffectiveFrom));
            return _current = new PriceBook(prices, discounts, version);
        }
        finally
        {
            _reload.Release();
        }
    }
}
