using Xunit;

namespace CommunityFunnel.Cli.Tests.Browser;

public sealed class HeadlessBrowserTests
{
    [BrowserFact]
    public async Task APage_OpensAtPhoneWidth_RunsItsScripts_AndIsPhotographed()
    {
        var folder = Directory.CreateTempSubdirectory("communityfunnel-browser-");
        var page = Path.Combine(folder.FullName, "page.html");
        File.WriteAllText(page, """
            <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            </head><body><p id="out">not run</p><div id="wide" style="width:600px">wide</div>
            <script>setTimeout(() => { document.getElementById('out').textContent = 'width ' + document.documentElement.clientWidth + ' 中文'; }, 50);</script>
            </body></html>
            """);

        await using var browser = await HeadlessBrowser.StartAsync();
        var phone = await browser.OpenAsync(page, 390, 844, mobile: true, readyExpression: "document.getElementById('out').textContent !== 'not run'");
        Assert.Equal("width 390 中文", await phone.TextAsync("document.getElementById('out').textContent"));
        Assert.False(await phone.FitsWidthAsync()); // the 600 px block overflows a 390 px phone

        var desktop = await browser.OpenAsync(page, 1280, 900, readyExpression: "document.getElementById('out').textContent !== 'not run'");
        Assert.Equal("width 1280 中文", await desktop.TextAsync("document.getElementById('out').textContent"));
        Assert.True(await desktop.FitsWidthAsync());

        var png = Path.Combine(HeadlessBrowser.ArtifactsFolder, "headless-browser-selftest-390.png");
        await phone.ScreenshotAsync(png);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        folder.Delete(recursive: true);
    }
}
