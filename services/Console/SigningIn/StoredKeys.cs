using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// ASP.NET Core's data-protection key ring kept in PostgreSQL, so that a cookie or form one console instance
/// protected opens on every other, and after a restart. The keys are stored as ASP.NET Core writes them (as its
/// file-system and database stores do): whoever may read the console's schema could sign sessions, so the console's
/// PostgreSQL role is as trusted as the services' (docs/console.md).
/// </summary>
public sealed class StoredKeys(ConsoleTables tables) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = tables.Database.OpenConnection();
        using var read = new NpgsqlCommand($"SELECT xml FROM {tables.Keys} ORDER BY stored_at, name", connection);
        using var rows = read.ExecuteReader();
        var elements = new List<XElement>();
        while (rows.Read())
            elements.Add(XElement.Parse(rows.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = tables.Database.OpenConnection();
        using var store = new NpgsqlCommand(
            $"INSERT INTO {tables.Keys} (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            connection
        );
        store.Parameters.Add(new() { Value = friendlyName });
        store.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        store.ExecuteNonQuery();
    }
}
