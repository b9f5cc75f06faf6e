using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Tokenwise.Console.SigningIn;
using Tokenwise.Testing;

namespace Tokenwise.Console.Tests;

/// <summary>
/// The console's sessions in a real PostgreSQL, with a stand-in for Ingestion's key revocation that can be away:
/// what a person signed in with lasts as long as it should, on every instance, and its key goes with it.
/// </summary>
public sealed class SessionsTests : IAsyncLifetime
{
    private const string IssuedKey = "key-issued-for-the-session";
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..11] + "_";
    private readonly ShiftedClock _clock = new();
    private readonly ConcurrentQueue<string> _revoked = new();
    private readonly List<WebApplication> _consoles = [];
    private readonly List<WebApplication> _started = [];
    private volatile bool _ingestionAway;
    private WebApplication _ingestion = null!;
    private string _postgres = "";

    public async Task InitializeAsync()
    {
        _postgres = (await Servers.GetAsync()).Postgres;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _ingestion = builder.Build();
        _ingestion.MapDelete(
            "/v1/keys/{keyId}",
            (string keyId) =>
            {
                if (_ingestionAway)
                    return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                _revoked.Enqueue(keyId);
                return Results.NoContent();
            }
        );
        await _ingestion.StartAsync();
    }

    private async Task<SessionTickets> ConsoleInstanceAsync() =>
        (await ConsoleAsync(_postgres, serve: false)).Services.GetRequiredService<SessionTickets>();

    /// <summary>A console over the shared schema, prepared (tables, key ring), and serving when asked to.</summary>
    private async Task<WebApplication> ConsoleAsync(string postgres, bool serve)
    {
        var console = ConsoleHost.Build(
            [
                .. serve ? ["--urls=http://127.0.0.1:0"] : Array.Empty<string>(),
                $"--Tokenwise:Console:Ingestion={IngestionAddress()}",
                $"--Tokenwise:Console:ServiceKey={"k".PadRight(32, 'k')}",
                $"--TOKENWISE_POSTGRES={postgres}",
                $"--Tokenwise:SchemaPrefix={_prefix}",
            ],
            services => services.AddSingleton<TimeProvider>(_clock)
        );
        _consoles.Add(console);
        await ConsoleHost.PrepareAsync(console);
        if (serve)
        {
            await console.StartAsync();
            _started.Add(console);
        }
        return console;
    }

    private AuthenticationTicket ManagersSession() =>
        new(
            new ClaimsPrincipal(
                SignedInPerson.Identity(
                    "manager@acme.example",
                    ConsoleRole.Manager,
                    "the-readers-own-key",
                    IssuedKey,
                    _clock.GetUtcNow(),
                    "Cookies"
                )
            ),
            new AuthenticationProperties { ExpiresUtc = _clock.GetUtcNow().AddMinutes(10) },
            "Cookies"
        );

    [Fact]
    public async Task A_session_stored_by_one_instance_opens_on_another_and_a_sign_out_on_either_ends_it()
    {
        var first = await ConsoleInstanceAsync();
        var second = await ConsoleInstanceAsync();
        var id = await first.StoreAsync(ManagersSession());

        var opened = await second.RetrieveAsync(id);
        Assert.Equal("manager@acme.example", opened!.Principal.Person());
        Assert.Equal("the-readers-own-key", opened.Principal.ReaderKey());

        await second.RemoveAsync(id);
        Assert.Null(await first.RetrieveAsync(id));
        Assert.Equal([IssuedKey], _revoked);
    }

    [Fact]
    public async Task A_session_unused_past_its_time_ends_and_its_key_is_revoked_once()
    {
        var sessions = await ConsoleInstanceAsync();
        var id = await sessions.StoreAsync(ManagersSession());
        Assert.Equal(0, await sessions.EndExpiredAsync(null, CancellationToken.None));
        Assert.NotNull(await sessions.RetrieveAsync(id));

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(await sessions.RetrieveAsync(id));
        Assert.Equal(1, await sessions.EndExpiredAsync(null, CancellationToken.None));
        Assert.Equal(0, await sessions.EndExpiredAsync(null, CancellationToken.None));
        Assert.Equal([IssuedKey], _revoked);
    }

    [Fact]
    public async Task An_ended_session_is_kept_until_Ingestion_has_revoked_its_key()
    {
        var sessions = await ConsoleInstanceAsync();
        var id = await sessions.StoreAsync(ManagersSession());
        _ingestionAway = true;

        await sessions.RemoveAsync(id);
        Assert.Null(await sessions.RetrieveAsync(id));
        Assert.Equal(0, await sessions.EndExpiredAsync(null, CancellationToken.None));
        Assert.Empty(_revoked);

        _ingestionAway = false;
        Assert.Equal(1, await sessions.EndExpiredAsync(null, CancellationToken.None));
        Assert.Equal([IssuedKey], _revoked);
    }

    [Fact]
    public async Task A_renewed_session_lasts_from_its_renewal_but_one_that_ended_is_not_revived()
    {
        var sessions = await ConsoleInstanceAsync();
        var ticket = ManagersSession();
        var id = await sessions.StoreAsync(ticket);

        _clock.Advance(TimeSpan.FromMinutes(6));
        ticket.Properties.ExpiresUtc = _clock.GetUtcNow().AddMinutes(10);
        await sessions.RenewAsync(id, ticket);
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.NotNull(await sessions.RetrieveAsync(id));

        await sessions.RemoveAsync(id);
        await sessions.RenewAsync(id, ticket);
        Assert.Null(await sessions.RetrieveAsync(id));
    }

    [Fact]
    public async Task A_signed_in_page_answers_503_with_Retry_After_while_PostgreSQL_is_away_and_opens_the_session_when_it_returns()
    {
        var (relay, relayed) = TcpRelay.ForPostgres(_postgres);
        await using var _ = relay;
        var console = await ConsoleAsync(relayed, serve: true);
        var id = await console.Services.GetRequiredService<SessionTickets>().StoreAsync(ManagersSession());
        // The cookie the console itself would set for that session: its id, protected with the shared key ring.
        var cookies = console
            .Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = cookies.TicketDataFormat.Protect(
            new AuthenticationTicket(
                new ClaimsPrincipal(
                    new ClaimsIdentity([new Claim("Microsoft.AspNetCore.Authentication.Cookies-SessionId", id)])
                ),
                CookieAuthenticationDefaults.AuthenticationScheme
            )
        );
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(ServerAddress(console)),
        };
        // A manager on an admins' page is sent to /denied: proof the session was read, without any service's answer.
        async Task<HttpResponseMessage> OpenPipelineAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/pipeline");
            request.Headers.Add("Cookie", $"{cookies.Cookie.Name}={cookie}");
            return await browser.SendAsync(request);
        }

        using (var before = await OpenPipelineAsync())
            Assert.Equal("/denied", before.Headers.Location?.AbsolutePath);

        relay.Cut();
        using (var away = await OpenPipelineAsync())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, away.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), away.Headers.RetryAfter?.Delta);
            Assert.Contains("A service is not answering", await away.Content.ReadAsStringAsync());
        }

        relay.Restore();
        using var back = await OpenPipelineAsync();
        Assert.Equal("/denied", back.Headers.Location?.AbsolutePath);
    }

    private string IngestionAddress() => ServerAddress(_ingestion);

    private static string ServerAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public async Task DisposeAsync()
    {
        foreach (var console in _started)
            await console.StopAsync();
        foreach (var console in _consoles)
            await console.DisposeAsync();
        await _ingestion.DisposeAsync();
        await using var database = NpgsqlDataSource.Create(_postgres);
        await using var drop = database.CreateCommand($"DROP SCHEMA IF EXISTS {_prefix}console CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}
