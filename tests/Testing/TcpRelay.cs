using System.Net;
using System.Net.Sockets;

namespace Tokenwise.Testing;

/// <summary>
/// A loopback TCP forwarder placed between a service and a real server, so a test can make the server vanish
/// (<see cref="Cut"/>: open connections drop, new ones are dropped as soon as they arrive, and counted) and come
/// back (<see cref="Restore"/>).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpListener _listener;
    private volatile bool _cut;
    private int _dropped;

    public TcpRelay(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(
            Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork),
            targetPort
        );
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    /// <summary>
    /// A relay in front of the PostgreSQL a connection string names, and the connection string that goes through it
    /// (with a short connect timeout, so a cut shows at once).
    /// </summary>
    public static (TcpRelay Relay, string ConnectionString) ForPostgres(string connectionString)
    {
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var relay = new TcpRelay(postgres.Host!, postgres.Port);
        postgres.Host = "127.0.0.1";
        postgres.Port = relay.Port;
        postgres.Timeout = 3;
        return (relay, postgres.ConnectionString);
    }

    /// <summary>Connections dropped while cut: proof a client tried and failed.</summary>
    public int Dropped => _dropped;

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            } // disposed
            if (_cut)
            {
                Interlocked.Increment(ref _dropped);
                inbound.Dispose();
                continue;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = Pump(inbound, outbound);
            _ = Pump(outbound, inbound);
        }
    }

    private async Task Pump(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception)
        { /* either side closed or the relay was cut */
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Cut();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
