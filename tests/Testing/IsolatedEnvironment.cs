using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Tokenwise.Testing;

/// <summary>
/// What one test class owns alone: a RabbitMQ virtual host and a schema prefix, so parallel test classes never
/// see each other's messages or rows. Disposing deletes both.
/// </summary>
public sealed class IsolatedEnvironment : IAsyncDisposable
{
    public const string BootstrapKey = "test-bootstrap-key";

    /// <summary>The secret the environment's services sign control messages with.</summary>
    public const string ControlSecret = "test-control-secret-0123456789";

    // The console's schema holds its sessions and data-protection keys.
    private static readonly string[] ServiceSchemas = ["ingestion", "accounting", "outcomes", "alerting", "console"];

    private IsolatedEnvironment(Servers servers, string virtualHost, string schemaPrefix)
    {
        Servers = servers;
        VirtualHost = virtualHost;
        SchemaPrefix = schemaPrefix;
    }

    public Servers Servers { get; }
    public string VirtualHost { get; }
    public string SchemaPrefix { get; }

    /// <summary>The broker address with this environment's virtual host.</summary>
    public Uri RabbitMq => new UriBuilder(Servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    /// <summary>Configuration a Tokenwise host needs to run inside this environment.</summary>
    public IReadOnlyDictionary<string, string?> Configuration =>
        new Dictionary<string, string?>
        {
            ["TOKENWISE_POSTGRES"] = Servers.Postgres,
            ["TOKENWISE_RABBITMQ"] = RabbitMq.ToString(),
            ["TOKENWISE_BOOTSTRAP_KEY"] = BootstrapKey,
            ["TOKENWISE_CONTROL_SECRET"] = ControlSecret,
            ["Tokenwise:SchemaPrefix"] = SchemaPrefix,
            ["TOKENWISE_RABBITMQ_NODES"] = Servers.RabbitMqNodes,
        };

    /// <param name="servers">The servers to isolate on; the shared ones when not given.</param>
    public static async Task<IsolatedEnvironment> CreateAsync(string name, Servers? servers = null)
    {
        servers ??= await Servers.GetAsync();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var environment = new IsolatedEnvironment(servers, $"tw-{name}-{suffix}", $"t{suffix}_");
        using var management = environment.Management();
        (
            await management.PutAsync($"api/vhosts/{Uri.EscapeDataString(environment.VirtualHost)}", null)
        ).EnsureSuccessStatusCode();
        (
            await management.PutAsJsonAsync(
                $"api/permissions/{Uri.EscapeDataString(environment.VirtualHost)}/{servers.RabbitMq.UserInfo.Split(':')[0]}",
                new
                {
                    configure = ".*",
                    write = ".*",
                    read = ".*",
                }
            )
        ).EnsureSuccessStatusCode();
        return environment;
    }

    public string Schema(string service) => SchemaPrefix + service;

    /// <summary>Every queue of this environment's virtual host with the messages it holds (ready and unacknowledged), as the broker last counted.</summary>
    public async Task<IReadOnlyList<(string Queue, long Messages)>> QueuesAsync() =>
        (await ListQueuesAsync<QueueInfo>("name,messages")).Select(q => (q.Name, q.Messages ?? 0)).ToList();

    private sealed record QueueInfo(string Name, long? Messages);

    /// <summary>Every queue of this environment's virtual host as the broker declared it: classic or quorum, durable, auto-delete, arguments.</summary>
    public Task<List<DeclaredQueue>> DeclaredQueuesAsync() =>
        ListQueuesAsync<DeclaredQueue>("name,type,durable,auto_delete,arguments");

    private async Task<List<T>> ListQueuesAsync<T>(string columns)
    {
        using var management = Management();
        return await management.GetFromJsonAsync<List<T>>(
                $"api/queues/{Uri.EscapeDataString(VirtualHost)}?columns={columns}"
            ) ?? [];
    }

    /// <summary>
    /// Removes the binding from one exchange to another, as a broker mishap would: messages published meanwhile never
    /// reach the destination. Returns how many bindings there were.
    /// </summary>
    public async Task<int> UnbindAsync(string source, string destination)
    {
        using var management = Management();
        var vhost = Uri.EscapeDataString(VirtualHost);
        var bindings =
            await management.GetFromJsonAsync<List<BindingInfo>>(
                $"api/bindings/{vhost}/e/{Uri.EscapeDataString(source)}/e/{Uri.EscapeDataString(destination)}"
            ) ?? [];
        foreach (var binding in bindings)
            (
                await management.DeleteAsync(
                    $"api/bindings/{vhost}/e/{Uri.EscapeDataString(source)}/e/{Uri.EscapeDataString(destination)}/{Uri.EscapeDataString(binding.Properties_key)}"
                )
            ).EnsureSuccessStatusCode();
        return bindings.Count;
    }

    /// <summary>Binds one exchange to another again (fanout, no routing key), as MassTransit had it.</summary>
    public async Task BindAsync(string source, string destination)
    {
        using var management = Management();
        (
            await management.PostAsJsonAsync(
                $"api/bindings/{Uri.EscapeDataString(VirtualHost)}/e/{Uri.EscapeDataString(source)}/e/{Uri.EscapeDataString(destination)}",
                new { routing_key = "" }
            )
        ).EnsureSuccessStatusCode();
    }

    private sealed record BindingInfo(string Properties_key);

    public async ValueTask DisposeAsync()
    {
        using (var management = Management())
            await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
        // TOKENWISE_KEEP_DATA=1 keeps the schemas, to look into the data after a benchmark (drop them by hand).
        if (Environment.GetEnvironmentVariable("TOKENWISE_KEEP_DATA") == "1")
        {
            Console.Error.WriteLine($"kept the schemas {SchemaPrefix}* (TOKENWISE_KEEP_DATA=1)");
            return;
        }
        await using var connection = new NpgsqlConnection(Servers.Postgres);
        // A test that restarted PostgreSQL (the fault suite) leaves dead connections in this process's pool.
        NpgsqlConnection.ClearPool(connection);
        await connection.OpenAsync();
        foreach (var service in ServiceSchemas)
        {
            await using var drop = new NpgsqlCommand($"drop schema if exists {Schema(service)} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private HttpClient Management()
    {
        var uri = Servers.RabbitMqManagement;
        var client = new HttpClient { BaseAddress = new UriBuilder(uri) { UserName = "", Password = "" }.Uri };
        var credentials = Uri.UnescapeDataString(uri.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))
        );
        return client;
    }
}

/// <summary>A queue as the broker's management API describes it.</summary>
public sealed record DeclaredQueue(
    string Name,
    string Type,
    bool Durable,
    [property: System.Text.Json.Serialization.JsonPropertyName("auto_delete")] bool AutoDelete,
    Dictionary<string, System.Text.Json.JsonElement>? Arguments
)
{
    /// <summary>The queue goes when nobody uses it: auto-delete, or an expiry (x-expires) after its consumer left.</summary>
    public bool GoesWhenUnused => AutoDelete || Arguments?.ContainsKey("x-expires") == true;
}
