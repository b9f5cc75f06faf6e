using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Simulator;

namespace Tokenwise.Integration.Tests.EndToEnd;

/// <summary>A seeded company's ten days sent to the four services; every figure checked against the ground truth.</summary>
public sealed class CompanyTests(CompanySystem system) : IClassFixture<CompanySystem>
{
    [Fact]
    public async Task A_simulated_company_is_reported_to_the_cent_attributed_exactly_and_alerted_once_per_finding()
    {
        var company = new Company(new CompanyOptions(Seed: 7, Engineers: 12, Teams: 3, Days: 10));
        var truth = GroundTruth.Compute(company, PriceFile.Load(CompanyChecks.PriceBookFile()));
        await CompanyBudgets.SetAsync(system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default), truth);
        await new Sender(
            system.Ingest,
            company.Options.Seed,
            CompanySystem.GitHubSecret,
            CompanySystem.PagerDutySecret
        ).SendAsync(company);

        await CompanyChecks.AssertMatchesAsync(system, company, truth);
    }
}
