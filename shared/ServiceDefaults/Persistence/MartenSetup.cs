using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.ServiceDefaults.Leadership;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Security;
using Weasel.Core;

namespace Tokenwise.ServiceDefaults.Persistence;

internal static class MartenSetup
{
    public static void AddTokenwiseMarten(
        this IServiceCollection services,
        TokenwiseSettings settings,
        Action<StoreOptions>? configureStore,
        Action<MartenServiceCollectionExtensions.MartenConfigurationExpression>? configureServices
    )
    {
        var marten = services
            .AddMarten(options =>
            {
                options.Connection(settings.PostgresConnectionString);
                options.DatabaseSchemaName = settings.Schema;
                options.Events.DatabaseSchemaName = settings.Schema;
                // JSON events leave out unset fields: less for PostgreSQL to parse on append and print on every read.
                // (Batch events, where that mattered most, are stored as MessagePack: BinaryEvents.)
                options.UseSystemTextJsonForSerialization(
                    EnumStorage.AsInteger,
                    Casing.Default,
                    json => json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
                );
                // Streams are keyed by domain identities (idempotency keys, "user|day"), never by random ids.
                options.Events.StreamIdentity = StreamIdentity.AsString;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Events.AppendMode = EventAppendMode.Quick;
                // Every figure a user sees passes through up to two daemons (relay, then a projection); Marten's
                // 250 ms / 1 s polling would alone spend the one-second freshness budget.
                options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
                options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(200);
                // How soon an instance notices the daemon's leader is gone and takes over (the lock frees as its
                // session ends).
                options.Projections.LeadershipPollingTime = (int)LeaderElection.RetryEvery.TotalMilliseconds;
                // No hidden retries of reads: a request facing an unreachable database answers 503 at once and the
                // sender retries (the SDK does); the daemon and the message consumers have retries of their own.
                options.ConfigurePolly(_ => { });
                options.Storage.ExtendedSchemaObjects.Add(ClaimedKeysTable.Create(settings.Schema));
                // Created at start with the rest, not under load by the first failure.
                options.Schema.For<QuarantinedItem>();
                options.Schema.For<KnownApiKey>();
                options.Schema.For<BootstrapKeyState>();
                configureStore?.Invoke(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // Every instance runs the daemon hot-cold: one leads it (an advisory lock), the others take over when it goes.
            .AddAsyncDaemon(settings.RunDaemon ? DaemonMode.HotCold : DaemonMode.Disabled)
            .AddSubscriptionWithServices<ContractRelay>(ServiceLifetime.Singleton);
        configureServices?.Invoke(marten);
        services.AddScoped<IdempotentWriter>();
        services.AddHostedService<EventCompression>();
    }
}
