using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

/// <summary>How a request reaches Ingestion.</summary>
public enum Shape
{
    Canonical,
    OpenAi,
    Anthropic,
    ClaudeCodeOtlp,
}

public sealed record Person(string User, string Team, string Manager, string Role);

/// <summary>One request as the simulator meant it; <see cref="Shape"/> says how it is sent.</summary>
public sealed record SimRequest(
    string Id,
    DateTimeOffset At,
    Person Person,
    string Provider,
    string Model,
    Buckets Tokens,
    string? Session,
    string? Agent,
    string? Repo,
    int? Pr,
    Shape Shape
);

public sealed record CompanyOptions(
    int Seed = 42,
    int Engineers = 12,
    int Teams = 3,
    int Days = 10,
    DateTimeOffset? Now = null
);

/// <summary>
/// A seeded company: engineers in teams with managers; steady and heavy-but-productive users; a tokenmaxxer (high
/// spend, nothing merged); a user whose two agents play ping-pong and a runaway loop, both in the last minutes; a team
/// whose AI-assisted PRs cause incidents; a few reverted changes; Anthropic, OpenAI and Google models with cache reads and writes and a few
/// long-context requests; one model the price book lacks. PR work names its PR (repo + number); everything else
/// happens in a repo with no PRs, so the expected attribution is exact.
/// </summary>
public sealed class Company
{
    public const string Sandbox = "acme/sandbox";
    public const string UnpricedProvider = "acme";
    public const string UnpricedModel = "acme-llm-1";
    private static readonly (string Provider, string Model, Shape Shape)[] Models =
    [
        ("anthropic", "claude-sonnet-4-5", Shape.Anthropic),
        ("anthropic", "claude-haiku-4-5", Shape.Canonical),
        ("anthropic", "claude-sonnet-4", Shape.Canonical),
        ("openai", "gpt-4.1", Shape.OpenAi),
        ("openai", "gpt-5-mini", Shape.Canonical),
        ("google", "gemini-2.5-pro", Shape.Canonical),
        ("google", "gemini-2.5-flash", Shape.Canonical),
    ];

    private readonly Random _random;
    private readonly List<SimRequest> _requests = [];
    private readonly List<OutcomeEvent> _outcomes = [];
    private int _next;

    public Company(CompanyOptions options)
    {
        Options = options;
        Now = options.Now ?? DateTimeOffset.UtcNow;
        _random = new Random(options.Seed);
        People = Enumerable
            .Range(0, options.Engineers)
            .Select(i =>
            {
                var team = $"team-{i % options.Teams + 1}";
                var role = i switch
                {
                    0 => "tokenmaxxer",
                    1 => "runaway",
                    2 => "ping-pong",
                    _ when i % 4 == 3 => "heavy",
                    _ => "steady",
                };
                return new Person($"eng-{i}@acme.example", team, $"manager-{i % options.Teams + 1}@acme.example", role);
            })
            .ToList();
        Generate();
    }

    public CompanyOptions Options { get; }
    public DateTimeOffset Now { get; }
    public IReadOnlyList<Person> People { get; }
    public IReadOnlyList<SimRequest> Requests => _requests;
    public IReadOnlyList<OutcomeEvent> Outcomes => _outcomes;

    /// <summary>The team whose AI-assisted PRs cause incidents.</summary>
    public string FragileTeam => "team-1";
    public Person Runaway => People.Single(p => p.Role == "runaway");
    public Person PingPong => People.Single(p => p.Role == "ping-pong");
    public Person Tokenmaxxer => People.Single(p => p.Role == "tokenmaxxer");

    private void Generate()
    {
        var firstDay = Now.UtcDateTime.Date.AddDays(-Options.Days);
        for (var d = 0; d < Options.Days; d++)
        {
            var day = new DateTimeOffset(firstDay.AddDays(d), TimeSpan.Zero);
            foreach (var person in People)
            {
                if (person.Role == "tokenmaxxer")
                    Work(person, day.AddHours(9), _random.Next(120, 160), null, null, heavy: true);
                else
                {
                    var prs = person.Role == "heavy" ? 2 : 1;
                    for (var p = 0; p < prs; p++)
                        PullRequest(person, day.AddHours(9 + p * 4), ai: _random.NextDouble() < 0.6);
                    Work(person, day.AddHours(14), _random.Next(5, 15), Sandbox, null, heavy: false);
                }
            }
        }
        // Today, in the last minutes: a runaway loop (70 requests a minute for 6 minutes) and two agents taking turns.
        var loopStart = WatchStart;
        for (var minute = 0; minute < 6; minute++)
        for (var i = 0; i < 70; i++)
            Add(
                Runaway,
                loopStart.AddMinutes(minute).AddMilliseconds(i * 800),
                ("openai", "gpt-4.1-nano", Shape.Canonical),
                new Buckets(800, 0, 0, 0, 50, 0),
                "runaway-loop",
                null,
                null,
                null
            );
        for (var i = 0; i < 44; i++)
            Add(
                PingPong,
                Now.AddMinutes(-20).AddSeconds(i * 20),
                ("anthropic", "claude-haiku-4-5", Shape.Canonical),
                new Buckets(1_500, 0, 0, 0, 400, 0),
                null,
                i % 2 == 0 ? "agent-red" : "agent-blue",
                null,
                null
            );
        // The model nobody priced, used a few times.
        for (var i = 0; i < 3; i++)
            Add(
                People[3],
                Now.AddDays(-1).AddHours(i),
                (UnpricedProvider, UnpricedModel, Shape.Canonical),
                new Buckets(1_000, 0, 0, 0, 100, 0),
                null,
                null,
                Sandbox,
                null
            );
    }

    /// <summary>The runaway loop's first minute: whole minutes, ending in the current one.</summary>
    public DateTimeOffset WatchStart =>
        new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddMinutes(
            Math.Floor((Now - new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero)).TotalMinutes) - 5
        );

    private void PullRequest(Person author, DateTimeOffset start, bool ai)
    {
        var repo = $"acme/{author.Team}-svc";
        var number = ++_next;
        var session = $"pr-{number}";
        // Only AI-assisted changes spend tokens on the PR itself; the others were written without AI.
        if (ai)
            Work(author, start, _random.Next(8, 25), repo, number, heavy: author.Role == "heavy", session);
        var merged = start.AddHours(3);
        var sha = $"{number:x4}{_random.Next():x8}deadbeef";
        if (_random.NextDouble() < 0.1)
        {
            _outcomes.Add(Outcome("pr_closed", merged, repo, number, author, $"Abandoned change {number}"));
            return;
        }
        _outcomes.Add(
            Outcome("pr_merged", merged, repo, number, author, $"Change {number}") with
            {
                Sha = sha,
                AiAssisted = ai,
                Branch = $"feat/{number}",
                // Sizes from the number, not the seeded random source: the rest of the company stays as it was.
                LinesAdded = 5 + number * 37 % 400,
                LinesDeleted = number * 13 % 90,
            }
        );
        _outcomes.Add(
            Outcome("deployment", merged.AddMinutes(20), repo, null, author, null) with
            {
                Sha = sha,
                Environment = "production",
            }
        );
        var fails = author.Team == FragileTeam ? (ai ? 0.5 : 0.05) : 0.05;
        if (_random.NextDouble() < fails)
            _outcomes.Add(
                Outcome(
                    "incident_opened",
                    merged.AddHours(1),
                    repo,
                    null,
                    author,
                    $"Checkout errors, root cause: {sha[..10]}"
                ) with
                {
                    Severity = "sev2",
                    ExternalId = $"INC-{number}",
                }
            );
        // A few changes are reverted instead (a failure too, linked by PR number).
        else if (_random.NextDouble() < 0.04)
            _outcomes.Add(
                Outcome("revert", merged.AddHours(2), repo, null, author, $"Revert change {number}") with
                {
                    Links = new OutcomeLinksModel([number]),
                }
            );
    }

    private void Work(
        Person person,
        DateTimeOffset start,
        int count,
        string? repo,
        int? pr,
        bool heavy,
        string? session = null
    )
    {
        session ??= $"s-{person.User}-{start:yyyyMMddHH}";
        for (var i = 0; i < count; i++)
        {
            var model = Models[_random.Next(Models.Length)];
            if (heavy && model.Provider == "anthropic")
                model = ("anthropic", "claude-opus-4-1", Shape.Canonical);
            var longContext = _random.NextDouble() < 0.03 && model.Model is "claude-sonnet-4" or "gemini-2.5-pro";
            var input = longContext ? 150_000 + _random.Next(60_000) : _random.Next(200, 4_000);
            var tokens = model.Provider switch
            {
                "anthropic" => new Buckets(
                    input,
                    _random.Next(2_000, 60_000),
                    _random.Next(0, 6_000),
                    _random.NextDouble() < 0.2 ? _random.Next(1, 3_000) : 0,
                    _random.Next(100, heavy ? 8_000 : 2_000),
                    0
                ),
                "openai" => Reasoned(input, _random.Next(0, 20_000), 0),
                _ => Reasoned(input, _random.Next(0, 30_000), 0),
            };
            Add(person, start.AddSeconds(i * 47), model, tokens, session, null, repo, pr);
        }
    }

    private Buckets Reasoned(long input, long cacheRead, long cacheWrite)
    {
        var reasoning = _random.Next(0, 1_500);
        return new Buckets(input, cacheRead, cacheWrite, 0, _random.Next(100, 2_000) + reasoning, reasoning);
    }

    private void Add(
        Person person,
        DateTimeOffset at,
        (string Provider, string Model, Shape Shape) model,
        Buckets tokens,
        string? session,
        string? agent,
        string? repo,
        int? pr
    )
    {
        // The tokenmaxxer's Claude traffic comes from Claude Code over OpenTelemetry, which reports no repo or PR and
        // counts every cache write as a 5-minute one.
        if (person.Role == "tokenmaxxer" && model.Provider == "anthropic")
            (model, tokens) = (
                (model.Provider, model.Model, Shape.ClaudeCodeOtlp),
                tokens with
                {
                    CacheWrite = tokens.CacheWrite + tokens.CacheWrite1h,
                    CacheWrite1h = 0,
                }
            );
        _requests.Add(
            new SimRequest(
                $"sim-{Options.Seed}-{_requests.Count}",
                at,
                person,
                model.Provider,
                model.Model,
                tokens,
                session,
                agent,
                repo,
                pr,
                model.Shape
            )
        );
    }

    private OutcomeEvent Outcome(
        string kind,
        DateTimeOffset at,
        string repo,
        int? number,
        Person author,
        string? title
    ) =>
        new()
        {
            Id = $"sim-{Options.Seed}-o{_outcomes.Count}",
            OccurredAt = at,
            Kind = kind,
            Repo = repo,
            PrNumber = number,
            User = author.User,
            Team = author.Team,
            Title = title,
        };
}
