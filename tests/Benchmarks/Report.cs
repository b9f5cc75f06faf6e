namespace Tokenwise.Benchmarks;

/// <summary>Collects result rows and prints them as the markdown table kept in docs/benchmarks.md.</summary>
internal sealed class Report
{
    private readonly List<string[]> _rows = [];

    public void Add(string measure, string value, string detail) => _rows.Add([measure, value, detail]);

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| measure | value | detail |");
        Console.WriteLine("|---|---:|---|");
        foreach (var row in _rows)
            Console.WriteLine($"| {row[0]} | {row[1]} | {row[2]} |");
    }
}
