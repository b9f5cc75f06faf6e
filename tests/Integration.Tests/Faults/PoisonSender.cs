using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.EndToEnd;
using Tokenwise.Integration.Tests.Pipeline;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Faults;

/// <summary>What the poison sender sent: the usage Accounting must quarantine, and the requests refused at the edge.</summary>
public sealed record Poisoned(IReadOnlySet<string> Accepted, int Requests, int Refused);

/// <summary>
/// Sends bad items beside the company's load, under its own key, so the relay merges them into the same batches:
/// - usage Accounting cannot charge (a trigger on its ledger refuses the poison users, standing in for what validation
///   cannot foresee): each must be quarantined once, and every company item in the same batches counted once;
/// - batches with an item the intake rules refuse (a NUL in a team): 400, nothing stored, the sender's other items too.
/// </summary>
public sealed class PoisonSender
{
    private const string UserPrefix = "poison-";
    private readonly ICompanySystem _system;
    private readonly IIngestionApi _api;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _accepted = [];
    private int _requests,
        _refused;
    private Task _sending = Task.CompletedTask;

    private PoisonSender(ICompanySystem system, IIngestionApi api) => (_system, _api) = (system, api);

    public static async Task<PoisonSender> StartAsync(ICompanySystem system)
    {
        var schema = system.Environment.Schema("accounting");
        await using (var connection = new NpgsqlConnection(system.Environment.Servers.Postgres))
        {
            await connection.OpenAsync();
            await using var trigger = new NpgsqlCommand(
                $"""
                create or replace function {schema}.refuse_poison() returns trigger language plpgsql as $$
                begin raise exception 'poisoned usage % cannot be charged', new.usage_key using errcode = 'P0001'; end $$;
                create or replace trigger refuse_poison before insert on {schema}.charges
                  for each row when (new.user_id like '{UserPrefix}%') execute function {schema}.refuse_poison();
                """,
                connection
            );
            await trigger.ExecuteNonQueryAsync();
        }
        var key = (
            await system
                .Ingestion.Client<IIngestionApi>(retry: RetryPolicy.Default)
                .IssueKeyAsync(new KeyRequest("poison", ["ingest"]))
        )
            .Content!
            .Key;
        var sender = new PoisonSender(
            system,
            system.Ingestion.Client<IIngestionApi>(
                key,
                new RetryPolicy(60, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))
            )
        );
        sender._sending = sender.SendAsync();
        return sender;
    }

    private async Task SendAsync()
    {
        var now = DateTimeOffset.UtcNow;
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            UsageEvent Event(int i, string? team = null) =>
                new()
                {
                    Id = $"p{n}-{i}",
                    OccurredAt = now.AddMinutes(-n % 60),
                    User = $"{UserPrefix}{n % 7}@acme.example",
                    Team = team,
                    Model = "gpt-4.1",
                    Provider = "openai",
                    InputTokens = 1_000 + n,
                };
            _requests++;
            if (n % 5 == 4)
            {
                var refused = await _api.RecordUsageBatchAsync([Event(0), Event(1, "a\u0000b")]);
                if (refused.StatusCode == HttpStatusCode.BadRequest)
                    _refused++;
                else
                    throw new InvalidOperationException(
                        $"a batch with a NUL in a team was answered {refused.StatusCode}"
                    );
            }
            else
            {
                var batch = new[] { Event(0), Event(1) };
                var sent = await _api.RecordUsageBatchAsync(batch);
                if (sent.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"poison batch answered {sent.StatusCode}");
                foreach (var usage in batch)
                    _accepted.Add($"poison/{usage.Id}");
            }
            // A request every two seconds: a steady trickle of poison through the whole send, every fault included, yet
            // rarer than one poisoned item per merged batch (each costs Accounting the batch's work about three times over).
            try
            {
                await Task.Delay(2_000, _stop.Token);
            }
            catch (OperationCanceledException) { }
        }
    }

    public async Task<Poisoned> StopAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        return new Poisoned(_accepted, _requests, _refused);
    }

    /// <summary>Accounting quarantined each poisoned usage once and nothing else; no other service quarantined anything.</summary>
    public async Task AssertQuarantinedAsync(Poisoned poisoned)
    {
        using var accounting = Ops(_system.Accounting);
        var held = await Eventually.Until(
            () => WholePipeline.AllQuarantinedAsync(accounting),
            items => items.Count >= poisoned.Accepted.Count,
            $"Accounting to quarantine all {poisoned.Accepted.Count} poisoned usage events",
            TimeSpan.FromMinutes(2)
        );
        Assert.Equal(poisoned.Accepted.Order(), held.Select(i => i.ItemKey).Order());
        Assert.All(held, i => Assert.Contains("cannot be charged", i.Reason));
        foreach (var other in new[] { _system.Ingestion, _system.Outcomes, _system.Alerting })
        {
            using var http = Ops(other);
            Assert.Empty(await WholePipeline.AllQuarantinedAsync(http));
        }
    }

    private static HttpClient Ops(IServiceEndpoint service)
    {
        var http = new HttpClient { BaseAddress = service.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        return http;
    }
}

/// <summary>What waits in each service's error queues and quarantine, one line each.</summary>
public static class PipelineReport
{
    public static async Task<IReadOnlyList<string>> DescribeAsync(ICompanySystem system)
    {
        var lines = new List<string>();
        foreach (var service in new[] { system.Ingestion, system.Accounting, system.Outcomes, system.Alerting })
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
            try
            {
                var failed = await http.GetFromJsonAsync<List<FailedView>>("/v1/ops/failed-messages") ?? [];
                var quarantined = await WholePipeline.AllQuarantinedAsync(http);
                lines.Add(
                    $"{service.Service}: {failed.Count} failed message(s), {quarantined.Count(q => q.Status == "quarantined")} item(s) in quarantine"
                );
                lines.AddRange(failed.Take(10).Select(f => $"  failed in {f.Queue}: {f.MessageType}: {f.Reason}"));
                lines.AddRange(
                    quarantined
                        .GroupBy(q => q.Reason.Split(':')[0])
                        .Select(g => $"  quarantined ×{g.Count()}: {g.First().Reason}")
                );
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lines.Add($"{service.Service}: not answering ({e.Message})");
            }
        }
        try
        {
            var queued = (await system.Environment.QueuesAsync()).Where(q => q.Messages > 0).ToList();
            lines.Add(
                queued.Count == 0
                    ? "queues: all empty"
                    : "queues: " + string.Join(", ", queued.Select(q => $"{q.Queue} {q.Messages:N0}"))
            );
        }
        catch (HttpRequestException e)
        {
            lines.Add($"queues: the management API did not answer ({e.Message})");
        }
        return lines;
    }

    private sealed record FailedView(string Queue, string? MessageType, string? Reason);
}
