using System.Globalization;
using System.Text;
using CommunityFunnel.Cli.DrawPage;
using CommunityFunnel.Cli.Tests.Browser;
using CommunityFunnel.Lottery;
using Xunit.Abstractions;

namespace CommunityFunnel.Cli.Tests.DrawPage;

/// <summary>
/// Not a test: a measurement, run only with <c>COMMUNITYFUNNEL_MEASURE_PAGE=1</c> (sizes in
/// <c>COMMUNITYFUNNEL_MEASURE_PAGE_SIZES</c>, default 100000; paths in <c>COMMUNITYFUNNEL_MEASURE_PAGE_IMPLS</c>, default
/// webcrypto,js,auto). Opens the draw page of a large draw in headless Chromium
/// with the CPU throttled 4x (a phone-class CPU) and reports the time from opening the page to its verdict, for the
/// three crypto paths (WebCrypto only, the page's SHA-256 only, and the default: the page's SHA-256 checked by WebCrypto), to the test output and to browser-artifacts/draw-page-measurement.txt. It asserts only that the
/// verdict is "valid": timings are reported, never asserted.
/// </summary>
public sealed class DrawPageMeasurement(ITestOutputHelper output)
{
    private static bool Enabled => Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_MEASURE_PAGE") == "1";

    [BrowserFact]
    public async Task LargeDraw_OpenToVerdict_WithTheCpuThrottled4x()
    {
        if (!Enabled)
        {
            output.WriteLine("Set COMMUNITYFUNNEL_MEASURE_PAGE=1 to measure.");
            return;
        }

        var sizes = (Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_MEASURE_PAGE_SIZES") ?? "100000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture));
        var folder = Directory.CreateTempSubdirectory("communityfunnel-drawpage-measure-");
        var report = new StringBuilder();
        await using var browser = await HeadlessBrowser.StartAsync();
        var version = (await browser.SendAsync(null, "Browser.getVersion", new())).ToJsonString();
        report.AppendLine(CultureInfo.InvariantCulture, $"browser {version}");
        foreach (var size in sizes)
        {
            var proof = LargeProof(size);
            var file = Path.Combine(folder.FullName, $"draw-{size}.html");
            var json = FairDrawJson.ProofToJson(proof);
            await File.WriteAllTextAsync(file, DrawPageWriter.Render(Encoding.UTF8.GetBytes(json), "en", null));
            // auto: WebCrypto checks the page's SHA-256, which then hashes. COMMUNITYFUNNEL_MEASURE_PAGE_IMPLS picks and orders them.
            foreach (var impl in (Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_MEASURE_PAGE_IMPLS") ?? "webcrypto,js,auto").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var page = await browser.OpenAsync(file, 390, 844, mobile: true, query: "impl=" + impl, cpuThrottlingRate: 4);
                var until = DateTime.UtcNow.AddMinutes(10);
                while (!(await page.EvaluateAsync("document.getElementById('verdict').hasAttribute('data-verdict')")).GetValue<bool>())
                {
                    Assert.True(DateTime.UtcNow < until, "no verdict within 10 minutes");
                    await Task.Delay(200);
                }

                Assert.Equal("valid", await page.TextAsync("document.getElementById('verdict').getAttribute('data-verdict')"));
                var sinceOpen = await page.TextAsync("document.getElementById('verdict').getAttribute('data-since-open')");
                var verify = await page.TextAsync("document.getElementById('verdict').getAttribute('data-ms')");
                var line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"entries {size}, file {new FileInfo(file).Length / 1024 / 1024.0:F1} MiB, {impl}, CPU 4x throttled: open to verdict {sinceOpen} ms (verification alone {verify} ms)");
                output.WriteLine(line);
                report.AppendLine(line);
                await page.CloseAsync();
            }
        }

        await File.WriteAllTextAsync(Path.Combine(HeadlessBrowser.ArtifactsFolder, "draw-page-measurement.txt"), report.ToString());
        folder.Delete(recursive: true);
    }

    /// <summary>A draw of <paramref name="size"/> entries: unicode and ASCII ids, weights 1 to 10, 3 tiers, 2 forfeits.</summary>
    private static DrawProof LargeProof(int size)
    {
        var random = new Random(42);
        var shapes = new[] { "m-{0}", "会员-{0}", "🎉{0}", "e\u0301{0}" };
        var entries = new DrawEntry[size];
        for (var i = 0; i < size; i++)
        {
            entries[i] = new DrawEntry(string.Format(CultureInfo.InvariantCulture, shapes[i % shapes.Length], i), random.Next(1, 11));
        }

        var seed = new byte[32];
        random.NextBytes(seed);
        var entropy = new byte[32];
        random.NextBytes(entropy);
        var input = new DrawInput("measure", [new PrizeTier("first", 1), new PrizeTier("second", 10), new PrizeTier("third", 100)], entries, seed, entropy);
        var first = FairDraw.Run(input);
        return FairDraw.Run(input with { Forfeited = [first.Winners[0].Entry!, first.Winners[5].Entry!] });
    }
}
