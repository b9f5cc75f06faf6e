using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Tokenwise.Integration.Tests.Browser;

/// <summary>
/// What every browser test does with a page it shows: a full-page screenshot saved with the test results
/// (TOKENWISE_SCREENSHOTS, set by ./test.sh); the README's two pictures also go to TOKENWISE_README_IMAGES when it
/// names a folder (TOKENWISE_README_IMAGES=docs/images ./test.sh).
/// </summary>
public static class Screenshots
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("TOKENWISE_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Testing.ServiceProcess.RepositoryRoot(), "TestResults", "screenshots");

    public static async Task SaveAsync(IPage page, string name, bool forReadme = false)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (forReadme && Environment.GetEnvironmentVariable("TOKENWISE_README_IMAGES") is { Length: > 0 } readme)
        {
            Directory.CreateDirectory(readme);
            File.Copy(path, Path.Combine(readme, name + ".png"), overwrite: true);
        }
    }

    /// <summary>Axe's serious and critical findings on the page as it stands, one line each (none is a pass).</summary>
    public static async Task<IReadOnlyList<string>> AccessibilityProblemsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return result
            .Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v =>
                $"{page.Url}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"
            )
            .ToList();
    }
}
