using System.Collections.Concurrent;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>The receive queues this service configured; their "_error" twins hold what failed every retry.</summary>
public sealed class ServiceQueues
{
    private readonly ConcurrentDictionary<string, bool> _names = new();

    public void Add(string queue) => _names.TryAdd(queue, true);

    public IReadOnlyList<string> Names => _names.Keys.Order(StringComparer.Ordinal).ToList();
}
