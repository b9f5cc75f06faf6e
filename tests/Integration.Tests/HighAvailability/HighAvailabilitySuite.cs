using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Integration.Tests.EndToEnd;
using Tokenwise.Integration.Tests.Faults;
using Tokenwise.Simulator;
using Tokenwise.Testing;
using Xunit.Abstractions;

namespace Tokenwise.Integration.Tests.HighAvailability;

/// <param name="Company">The simulated company sent through the load balancer.</param>
/// <param name="EventsPerSecond">The company's pace.</param>
/// <param name="FillerEventsPerSecond">The pace of usage outside the company that keeps the system at work until the last fault.</param>
public sealed record HighAvailabilityLoad(CompanyOptions Company, int EventsPerSecond, int FillerEventsPerSecond);

/// <summary>
/// Sends a company through the highly available layout while the instance leading each service's projection daemon is
/// killed, a RabbitMQ node is stopped and the PostgreSQL standby is promoted; then the ground truth must hold exactly,
/// no service may have gone 15 s without a daemon leader, and every answer a sender had to retry must be a 503 with
/// Retry-After.
/// </summary>
public static class HighAvailabilitySuite
{
    /// <summary>The longest a service may run without a projection-daemon leader.</summary>
    public static readonly TimeSpan LeaderlessGoal = TimeSpan.FromSeconds(15);

    /// <summary>How long the stopped RabbitMQ node stays down, under load.</summary>
    private static readonly TimeSpan BrokerNodeDown = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(
        HighAvailabilitySystem system,
        HighAvailabilityLoad load,
        ITestOutputHelper output
    )
    {
        var company = new Company(load.Company);
        var truth = GroundTruth.Compute(company, PriceFile.Load(CompanyChecks.PriceBookFile()));
        await CompanyBudgets.SetAsync(system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default), truth);
        var retried = new ConcurrentBag<RetriedAttempt>();
        var retry = new RetryPolicy(60, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))
        {
            OnRetry = retried.Add,
        };
        var sending = new Sender(
            system.Ingestion.Client<IIngestionApi>(retry: retry),
            company.Options.Seed,
            CompanySystem.GitHubSecret,
            CompanySystem.PagerDutySecret,
            eventsPerSecond: load.EventsPerSecond
        ).SendAsync(company);
        var filler = new FillerSender(system, load.FillerEventsPerSecond, retried.Add);
        filler.StartAfter(sending);

        await using var leadership = new LeadershipWatch(system.Balancer.Services);
        var faults = new List<(string Fault, TimeSpan Took, string Load)>();
        string Load() =>
            !sending.IsCompleted ? "while sending"
            : filler.IsSending ? "while the filler sent"
            : "after the last send";
        async Task Fault(string name, Func<Task> inject)
        {
            var at = Load();
            var watch = Stopwatch.StartNew();
            await inject();
            faults.Add((name, watch.Elapsed, at));
        }

        foreach (var service in system.Balancer.Services)
        {
            var leader = await Eventually.Until(
                () =>
                    Task.FromResult(
                        service.Instances.FirstOrDefault(i =>
                            leadership.LeadsOf(i).Contains(LeadershipWatch.ProjectionDaemon)
                        )
                    ),
                i => i is not null,
                $"an instance of {service.Service} to lead its projection daemon",
                TimeSpan.FromSeconds(60)
            );
            await Fault(
                $"SIGKILL the instance of {service.Service} leading its daemon ({string.Join(", ", leadership.LeadsOf(leader!).Order())})",
                async () =>
                {
                    await leader!.KillAsync();
                    await Eventually.Until(
                        () =>
                            Task.FromResult(
                                service.Instances.Any(i =>
                                    i != leader && leadership.LeadsOf(i).Contains(LeadershipWatch.ProjectionDaemon)
                                )
                            ),
                        taken => taken,
                        $"another instance of {service.Service} to lead its projection daemon",
                        TimeSpan.FromSeconds(60)
                    );
                    await leader.RestartAsync();
                }
            );
        }
        await Fault(
            $"stop RabbitMQ node 1 for {BrokerNodeDown.TotalSeconds:N0} s",
            async () =>
            {
                await HighAvailabilityServers.StopBrokerNodeAsync(1);
                // The outage's length, not a wait for a condition: the system works on two nodes meanwhile.
                await Task.Delay(BrokerNodeDown);
                await HighAvailabilityServers.StartBrokerNodeAsync(1);
            }
        );
        await Fault(
            "PostgreSQL primary lost, standby promoted",
            async () =>
            {
                await HighAvailabilityServers.PromoteStandbyAsync();
                // Until every service leads its daemon again, on the new primary.
                await Eventually.Until(
                    () =>
                        Task.FromResult(
                            system.Balancer.Services.All(s =>
                                s.Instances.Any(i => leadership.LeadsOf(i).Contains(LeadershipWatch.ProjectionDaemon))
                            )
                        ),
                    all => all,
                    "every service to lead its projection daemon on the promoted standby",
                    TimeSpan.FromSeconds(90)
                );
            }
        );
        await sending;
        await filler.StopAsync();

        var settle = Stopwatch.StartNew();
        await CompanyChecks.AssertMatchesAsync(system, company, truth);
        var report = new List<string>
        {
            $"layout: {HighAvailabilitySystem.InstancesPerService} instances of each service behind nginx, RabbitMQ on three nodes, PostgreSQL primary with a synchronous standby",
            $"events sent: {truth.Requests:N0} usage at {load.EventsPerSecond:N0}/s, {company.Outcomes.Count:N0} outcomes, then {filler.Sent:N0} filler events at {load.FillerEventsPerSecond:N0}/s; "
                + $"mismatches against the ground truth: 0 (settled {settle.Elapsed.TotalSeconds:N1} s after the last send)",
        };
        report.AddRange(faults.Select(f => $"  {f.Fault} ({f.Load}): {f.Took.TotalSeconds:N1} s"));
        report.Add(
            "longest time without a projection-daemon leader: "
                + string.Join(
                    ", ",
                    system.Balancer.Services.Select(s =>
                        $"{s.Service} {leadership.LongestLeaderless.GetValueOrDefault(s.Service).TotalSeconds:N1} s"
                    )
                )
        );
        report.Add(
            $"senders retried {retried.Count:N0} answers: "
                + string.Join(
                    ", ",
                    retried
                        .GroupBy(r => r.Status is { } s ? ((int)s).ToString() : "no answer")
                        .OrderBy(g => g.Key)
                        .Select(g => $"{g.Count():N0} × {g.Key}")
                )
                + $"; every 503 with Retry-After: {retried.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).All(r => r.RetryAfter is not null)}"
        );
        foreach (var line in report)
            output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TOKENWISE_FAULT_REPORT") is { Length: > 0 } path)
            await File.AppendAllLinesAsync(path, ["High availability:", .. report, ""]);

        // Every fault met the system at work.
        Assert.All(faults, f => Assert.NotEqual("after the last send", f.Load));
        Assert.All(
            system.Balancer.Services,
            s =>
                Assert.True(
                    leadership.LongestLeaderless.GetValueOrDefault(s.Service) < LeaderlessGoal,
                    $"{s.Service} had no daemon leader for {leadership.LongestLeaderless.GetValueOrDefault(s.Service).TotalSeconds:N1} s"
                )
        );
        Assert.All(
            retried,
            r =>
                Assert.True(
                    r.Status == HttpStatusCode.ServiceUnavailable && r.RetryAfter is not null,
                    $"a sender saw {(r.Status is { } s ? (int)s : "no answer")} without Retry-After"
                )
        );
    }
}
