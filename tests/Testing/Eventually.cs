namespace Tokenwise.Testing;

/// <summary>Waits for a condition the system reaches asynchronously, failing with a description at the deadline.</summary>
public static class Eventually
{
    // Generous: the whole suite runs in parallel on two cores, and a condition is met as soon as it holds.
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(90);

    public static async Task<T> Until<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        string description,
        TimeSpan? deadline = null
    )
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > until)
                throw new TimeoutException(
                    $"Waited {(deadline ?? DefaultDeadline).TotalSeconds:0}s for: {description}. Last seen: {last}"
                );
            await Task.Delay(100); // polling interval, not a stand-in for the condition
        }
    }
}
