namespace Tokenwise.Benchmarks;

/// <summary>Request latencies of one run, and the percentiles the report prints.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
            _milliseconds.Add(elapsed.TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0)
                return double.NaN;
            var sorted = _milliseconds.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }
}
