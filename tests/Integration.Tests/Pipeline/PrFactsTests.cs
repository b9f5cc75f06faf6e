using System.Net;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Client;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Pipeline;

/// <summary>What a signed GitHub delivery recorded of a PR is the PR's own; a canonical outcome cannot overwrite it.</summary>
public sealed class PrFactsTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private static byte[] GitHubMerge(string repo, int number, string author) =>
        Encoding.UTF8.GetBytes(
            $$$"""
            {"action":"closed","number":{{{number}}},"pull_request":{"number":{{{number}}},"merged":true,"merged_at":"{{{DateTimeOffset.UtcNow.AddMinutes(
                -5
            ):O}}}",
             "merge_commit_sha":"0123456789abcdef","title":"From GitHub","user":{"login":"{{{author}}}"},"head":{"ref":"feat/x","sha":"fedcba9876543210"},
             "labels":[]},"repository":{"full_name":"{{{repo}}}"}}
            """
        );

    private static OutcomeEvent CanonicalMerge(string repo, int number, string author) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            Kind = "pr_merged",
            Repo = repo,
            PrNumber = number,
            User = author,
            Title = "From a CI key",
        };

    private async Task GitHubAsync(string repo, int number, string author)
    {
        var body = GitHubMerge(repo, number, author);
        var response = await system.Ingest.GitHubWebhookAsync(
            JsonBodies.Of(body),
            "pull_request",
            Guid.NewGuid().ToString(),
            WebhookSigning.GitHub(body, WholePipeline.GitHubSecret)
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_canonical_merge_does_not_overwrite_what_GitHub_recorded_and_GitHub_overwrites_a_canonical_one()
    {
        var repo = $"acme/g{Guid.NewGuid().ToString("N")[..8]}";
        var (owner, name) = (repo.Split('/')[0], repo.Split('/')[1]);
        await GitHubAsync(repo, 5, "carol");
        await Eventually.Until(
            async () => (await system.Prs.GetPrAsync(owner, name, 5)).Content?.Author,
            a => a == "carol",
            "GitHub's merge"
        );
        var overwrite = CanonicalMerge(repo, 5, "mallory");
        var consumed = ConsumedMessages<OutcomeRecorded>.Watch(
            system.Outcomes.Services.GetRequiredService<IBus>(),
            o => o.Id == overwrite.Id
        );
        Assert.Equal(HttpStatusCode.Accepted, (await system.Ingest.RecordOutcomesAsync([overwrite])).StatusCode);

        Assert.Equal(
            HttpStatusCode.Accepted,
            (await system.Ingest.RecordOutcomesAsync([CanonicalMerge(repo, 6, "mallory")])).StatusCode
        );
        await Eventually.Until(
            async () => (await system.Prs.GetPrAsync(owner, name, 6)).Content?.Author,
            a => a == "mallory",
            "the canonical merge"
        );
        await GitHubAsync(repo, 6, "dave");
        await Eventually.Until(
            async () => (await system.Prs.GetPrAsync(owner, name, 6)).Content?.Author,
            a => a == "dave",
            "GitHub's delivery to replace the canonical facts"
        );

        await Eventually.Until(
            () => Task.FromResult(consumed.Count),
            n => n >= 1,
            "Outcomes to take in the canonical merge of PR 5"
        );
        var five = (await system.Prs.GetPrAsync(owner, name, 5)).Content!;
        Assert.Equal(("carol", "From GitHub"), (five.Author, five.Title));
    }
}
