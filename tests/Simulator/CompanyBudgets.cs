using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

/// <summary>Sets the company's budgets (from its ground truth) in Accounting; done before the usage is sent.</summary>
public static class CompanyBudgets
{
    public static async Task SetAsync(IAccountingApi accounting, GroundTruth truth, CancellationToken ct = default)
    {
        foreach (var budget in truth.Budgets)
        {
            var response = await accounting.SetBudgetAsync(
                budget.ScopeType,
                budget.ScopeId,
                new BudgetRequest(budget.AmountUsd, "month", "UTC", GroundTruth.BudgetThresholds, budget.HardLimit),
                ct
            );
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException(
                    $"setting {budget.ScopeType} {budget.ScopeId}'s budget answered {(int?)response.StatusCode}: {response.Error?.Message}"
                );
        }
    }
}
