using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Simulator;

namespace Tokenwise.Integration.Tests.EndToEnd;

/// <summary>The bounded fault run inside ./test.sh: every service killed (SIGKILL) and restarted while a company is sent.</summary>
public sealed class CrashTests(CompanySystem system) : IClassFixture<CompanySystem>
{
    [Fact]
    public async Task Every_service_killed_mid_send_and_restarted_loses_nothing_and_counts_nothing_twice()
    {
        var company = new Company(new CompanyOptions(Seed: 11, Engineers: 12, Teams: 3, Days: 10));
        var truth = GroundTruth.Compute(company, PriceFile.Load(CompanyChecks.PriceBookFile()));
        await CompanyBudgets.SetAsync(system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default), truth);
        // A real client's retries (same ids on every try), patient enough to outlast a restart of Ingestion.
        var ingest = system.Ingestion.Client<IIngestionApi>(
            retry: new RetryPolicy(40, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1))
        );
        var sending = new Sender(
            ingest,
            company.Options.Seed,
            CompanySystem.GitHubSecret,
            CompanySystem.PagerDutySecret,
            eventsPerSecond: 300
        ).SendAsync(company);
        var crashes = Task.Run(async () =>
        {
            foreach (var service in new[] { system.Accounting, system.Outcomes, system.Alerting, system.Ingestion })
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                await service.KillAsync();
                await service.RestartAsync();
            }
        });
        await Task.WhenAll(sending, crashes);

        await CompanyChecks.AssertMatchesAsync(system, company, truth);
    }
}
