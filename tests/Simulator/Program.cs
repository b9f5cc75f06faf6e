using System.Globalization;
using System.Text.Json;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Simulator;

// dotnet run --project tests/Simulator -- --ingestion http://localhost:5101 --accounting http://localhost:5102 --key KEY [--seed 42] [--engineers 12]
//   [--teams 3] [--days 10] [--prices services/Accounting/Pricing/default-price-book.json] [--truth truth.json] [--github-secret S] [--pagerduty-secret S]
//   [--rate events-per-second] [--dry-run] [--report]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string Arg(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
int Number(string name, int fallback) =>
    int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

// --seed now: a new company each run (its ids differ), for ./run.sh --demo.
var seed =
    Arg("seed", "42") == "now" ? (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 % 1_000_000) : Number("seed", 42);
var company = new Company(new CompanyOptions(seed, Number("engineers", 12), Number("teams", 3), Number("days", 10)));
var truth = GroundTruth.Compute(
    company,
    PriceFile.Load(Arg("prices", "services/Accounting/Pricing/default-price-book.json"))
);
Console.Error.WriteLine(
    $"company: {company.People.Count} engineers, {company.Requests.Count:N0} requests, {company.Outcomes.Count:N0} outcomes, "
        + $"{truth.Prs.Count} merged PRs ({truth.Prs.Count(p => p.Reverted)} reverted), ${truth.TotalUsd:N2}; expected alerts: "
        + string.Join(", ", truth.Alerts.Select(a => $"{a.Kind}/{a.Severity} {a.ScopeType}:{a.ScopeId}"))
        + "; budgets: "
        + string.Join(
            ", ",
            truth.Budgets.Select(b => $"{b.ScopeType}:{b.ScopeId} ${b.AmountUsd:N2}{(b.HardLimit ? " hard" : "")}")
        )
);
if (args.Contains("--dry-run"))
    return;
var api = TokenwiseClients.Create<IIngestionApi>(
    new Uri(Arg("ingestion", "http://localhost:5101")),
    Arg("key", ""),
    RetryPolicy.Default
);
string? Secret(string name) => Arg(name, "") is { Length: > 0 } secret ? secret : null;

// The company's budgets first, so thresholds fire as its usage arrives.
await CompanyBudgets.SetAsync(
    TokenwiseClients.Create<IAccountingApi>(
        new Uri(Arg("accounting", "http://localhost:5102")),
        Arg("key", ""),
        RetryPolicy.Default
    ),
    truth
);
var sender = new Sender(
    api,
    company.Options.Seed,
    Secret("github-secret"),
    Secret("pagerduty-secret"),
    Number("rate", 0)
);
var watch = System.Diagnostics.Stopwatch.StartNew();
await sender.SendAsync(company);
Console.Error.WriteLine(
    $"sent {company.Requests.Count:N0} requests ({sender.Duplicates:N0} again as retries) and {company.Outcomes.Count:N0} outcomes "
        + $"in {watch.Elapsed.TotalSeconds:N1} s; ground truth: ${truth.TotalUsd:N2}"
);
if (args.Contains("--report"))
    await DemoReport.PrintAsync(new Uri(Arg("ingestion", "http://localhost:5101")), Arg("key", ""), company, truth);
if (Arg("truth", "") is { Length: > 0 } path)
    await File.WriteAllTextAsync(
        path,
        JsonSerializer.Serialize(truth, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true })
    );
