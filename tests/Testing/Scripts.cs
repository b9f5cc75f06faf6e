using System.Diagnostics;

namespace Tokenwise.Testing;

/// <summary>Runs the repository's infra scripts from a test, as a person would from the checkout.</summary>
public static class Scripts
{
    /// <summary>Runs a command in the repository root and returns what it printed; throws with its errors if it fails.</summary>
    public static async Task<string> RunAsync(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = ServiceProcess.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}: {await errors}");
        return await output;
    }

    /// <summary>The <c>export NAME='value'</c> lines a start script prints.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ExportsAsync(string command) =>
        (await RunAsync(command))
            .Split('\n')
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''));
}
