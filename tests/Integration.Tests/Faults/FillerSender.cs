using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.EndToEnd;

namespace Tokenwise.Integration.Tests.Faults;

/// <summary>
/// Keeps the system under load once the company is sent, until the last fault is injected: how long the faults take
/// depends on the machine, and each must meet a working pipeline. Usage of people outside the company (so the ground
/// truth is untouched), tiny in cost (so no rule fires for them), at a steady rate, through every service.
/// </summary>
public sealed class FillerSender
{
    private readonly IIngestionApi _api;
    private readonly int _eventsPerSecond;
    private readonly CancellationTokenSource _stop = new();
    private Task _sending = Task.CompletedTask;

    /// <param name="onRetry">Told of every answer the filler retried, as the SDK saw it.</param>
    public FillerSender(ICompanySystem system, int eventsPerSecond, Action<RetriedAttempt>? onRetry = null)
    {
        _api = system.Ingestion.Client<IIngestionApi>(
            retry: new RetryPolicy(60, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)) { OnRetry = onRetry }
        );
        _eventsPerSecond = eventsPerSecond;
    }

    public int Sent { get; private set; }
    public bool IsSending => !_sending.IsCompleted;

    /// <summary>Starts sending once <paramref name="after"/> has finished (the company's send).</summary>
    public void StartAfter(Task after) =>
        _sending = Task.Run(async () =>
        {
            try
            {
                await after;
            }
            catch
            {
                return;
            }
            const int batch = 20;
            var pace = TimeSpan.FromSeconds((double)batch / _eventsPerSecond);
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var now = DateTimeOffset.UtcNow;
                var events = Enumerable
                    .Range(0, batch)
                    .Select(i => new UsageEvent
                    {
                        Id = $"filler-{n}-{i}",
                        OccurredAt = now,
                        User = $"filler-{i % 10}@outside.example",
                        Team = "outside-filler",
                        Provider = "openai",
                        Model = "gpt-4.1-mini",
                        InputTokens = 10,
                        OutputTokens = 2,
                    })
                    .ToList();
                await _api.RecordUsageBatchAsync(events);
                Sent += batch;
                try
                {
                    await Task.Delay(pace, _stop.Token);
                }
                catch (OperationCanceledException) { }
            }
        });

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _sending;
    }
}
