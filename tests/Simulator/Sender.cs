using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

/// <summary>
/// Sends a simulated company to Ingestion through the SDK (its retry policy, same ids on every try): the directory,
/// usage in each provider's shape in batches, some batches twice (a client retrying after a lost answer), a tenth of
/// the usage late (after the merges it belongs to), then the outcomes between.
/// </summary>
public sealed class Sender(IIngestionApi ingestion, int seed, int batchSize = 100)
{
    private readonly Random _random = new(seed + 1);

    public int Duplicates { get; private set; }

    public async Task SendAsync(Company company, CancellationToken ct = default)
    {
        foreach (var person in company.People)
            Ensure(await ingestion.SetDirectoryUserAsync(person.User, new DirectoryUserRequest(null, person.User, person.Team, person.Manager, null), ct),
                HttpStatusCode.OK, "directory");

        var late = company.Requests.Where(_ => _random.NextDouble() < 0.1).ToHashSet();
        await SendUsageAsync(company.Requests.Where(r => !late.Contains(r)).OrderBy(r => r.At), ct);
        foreach (var batch in company.Outcomes.Chunk(50))
            Ensure(await ingestion.RecordOutcomesAsync(batch, ct), HttpStatusCode.Accepted, "outcomes");
        await SendUsageAsync(late.OrderBy(r => r.At), ct);
    }

    private async Task SendUsageAsync(IEnumerable<SimRequest> requests, CancellationToken ct)
    {
        foreach (var batch in requests.Chunk(batchSize))
            foreach (var shape in batch.GroupBy(r => r.Shape))
            {
                var times = _random.NextDouble() < 0.05 ? 2 : 1;
                Duplicates += (times - 1) * shape.Count();
                for (var t = 0; t < times; t++) await SendAsync(shape.Key, shape.ToList(), ct);
            }
    }

    private async Task SendAsync(Shape shape, IReadOnlyList<SimRequest> requests, CancellationToken ct)
    {
        var response = shape switch
        {
            Shape.OpenAi => await ingestion.RecordOpenAiUsageAsync(requests.Select(r => Native(r, new
            {
                prompt_tokens = r.Tokens.Input + r.Tokens.CacheRead, completion_tokens = r.Tokens.Output,
                total_tokens = r.Tokens.Input + r.Tokens.CacheRead + r.Tokens.Output,
                prompt_tokens_details = new { cached_tokens = r.Tokens.CacheRead },
                completion_tokens_details = new { reasoning_tokens = r.Tokens.Reasoning },
            })).ToList(), ct),
            Shape.Anthropic => await ingestion.RecordAnthropicUsageAsync(requests.Select(r => Native(r, new
            {
                input_tokens = r.Tokens.Input, output_tokens = r.Tokens.Output, cache_read_input_tokens = r.Tokens.CacheRead,
                cache_creation_input_tokens = r.Tokens.CacheWrite + r.Tokens.CacheWrite1h,
                cache_creation = new { ephemeral_5m_input_tokens = r.Tokens.CacheWrite, ephemeral_1h_input_tokens = r.Tokens.CacheWrite1h },
            })).ToList(), ct),
            _ => await ingestion.RecordUsageBatchAsync(requests.Select(Canonical).ToList(), ct),
        };
        Ensure(response, HttpStatusCode.Accepted, "usage");
    }

    private static UsageEvent Canonical(SimRequest r) => new()
    {
        Id = r.Id, OccurredAt = r.At, User = r.Person.User, Team = r.Person.Team, Provider = r.Provider, Model = r.Model,
        InputTokens = r.Tokens.Input, CacheReadTokens = r.Tokens.CacheRead, CacheWriteTokens = r.Tokens.CacheWrite,
        CacheWrite1hTokens = r.Tokens.CacheWrite1h, OutputTokens = r.Tokens.Output, ReasoningTokens = r.Tokens.Reasoning,
        Tool = "gateway", SessionId = r.Session, AgentName = r.Agent, Repo = r.Repo, PrNumber = r.Pr,
    };

    private static NativeUsageEvent Native(SimRequest r, object usage) => new()
    {
        Id = r.Id, OccurredAt = r.At, User = r.Person.User, Team = r.Person.Team, Model = r.Model, Usage = usage, Tool = "gateway",
        SessionId = r.Session, Repo = r.Repo, PrNumber = r.Pr,
    };

    private static void Ensure(Refit.IApiResponse response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{what} answered {(int?)response.StatusCode}: {(response.Error as Refit.ApiException)?.Content}");
    }
}
