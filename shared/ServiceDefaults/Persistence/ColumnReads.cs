using System.Data;
using System.Data.Common;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// Reads a nullable column by name. Non-null columns use <see cref="DataReaderExtensions"/> (<c>GetString("name")</c>),
/// so every query's columns are read by the names its SQL gives them.
/// </summary>
public static class ColumnReads
{
    public static string? GetStringOrNull(this DbDataReader reader, string name) =>
        reader.IsDBNull(name) ? null : reader.GetString(name);

    public static T? GetValueOrNull<T>(this DbDataReader reader, string name)
        where T : struct => reader.IsDBNull(name) ? null : reader.GetFieldValue<T>(name);
}
