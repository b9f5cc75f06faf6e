using JasperFx.Events.Projections;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// Page sizes for daemon shards that read batch events (up to a thousand items each). Marten's defaults (pages of 500
/// events, up to 5,000 held ahead) suit small events; with batch events a lagging shard held hundreds of thousands of
/// items, which outlived the young generations and made Accounting spend a third of its time in full garbage collections.
/// </summary>
public static class BatchEventPages
{
    public static void Apply(AsyncOptions options)
    {
        options.BatchSize = 20;
        options.MaximumHopperSize = 40;
    }
}
