using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Tests.Usage;

/// <summary>Runs a usage shape's reader over a JSON body the way the endpoint does, at a fixed "now".</summary>
internal static class ShapeReading
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static (List<UsageRecorded> Items, IDictionary<string, string[]> Errors) Read(
        ItemReader<UsageRecorded> reader,
        string json
    )
    {
        using var document = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        var items = JsonBatch.Read(
            document.RootElement,
            reader,
            (usage, intake) => IntakeRules.Problems(usage, intake.Limits),
            errors,
            new IntakeContext("gateway", Now, IntakeLimits.Default)
        );
        return (items, errors.ToDictionary());
    }

    public static UsageRecorded ReadOne(ItemReader<UsageRecorded> reader, string json)
    {
        var (items, errors) = Read(reader, json);
        Assert.Empty(errors);
        return Assert.Single(items);
    }
}
