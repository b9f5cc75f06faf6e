using System.Text.Json;

namespace Tokenwise.Console.Pages.Shared;

/// <summary>One series of a chart: a name and one value per label (null: no figure for that label).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values);

/// <summary>
/// A chart and the table of its figures: the table is what screen readers, phones and tests read; the chart draws
/// the same numbers with Chart.js.
/// </summary>
public sealed record ChartModel(
    string Id,
    string Title,
    string Kind,
    IReadOnlyList<string> Labels,
    IReadOnlyList<ChartSeries> Series,
    string Unit = "",
    string? Source = null
)
{
    public string Json =>
        JsonSerializer.Serialize(
            new
            {
                kind = Kind,
                unit = Unit,
                labels = Labels,
                series = Series.Select(s => new { name = s.Name, values = s.Values }),
            }
        );

    /// <summary>Rows per group and columns per label, from rows that each name a label, a group and a value.</summary>
    public static ChartModel From<TRow>(
        string id,
        string title,
        string kind,
        IEnumerable<TRow> rows,
        Func<TRow, string> label,
        Func<TRow, string> group,
        Func<TRow, decimal> value,
        string unit = "",
        string? source = null,
        IEnumerable<string>? labels = null
    )
    {
        var all = rows.ToList();
        var columns = (labels ?? all.Select(label)).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = all.GroupBy(group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var byLabel = g.GroupBy(label).ToDictionary(x => x.Key, x => x.Sum(value));
                return new ChartSeries(
                    g.Key,
                    columns.Select(c => byLabel.TryGetValue(c, out var v) ? v : (decimal?)null).ToList()
                );
            })
            .ToList();
        return new ChartModel(id, title, kind, columns, series, unit, source);
    }
}
