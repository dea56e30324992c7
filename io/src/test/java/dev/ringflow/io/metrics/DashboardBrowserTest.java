package dev.ringflow.io.metrics;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.TestSeeds;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium, driven by Selenium, watching a pipeline on the embedded broker: it
 * shows the pipeline, every record sent, a latency line and lag 0; then the daemon stops and the page says it is
 * unreachable, and recovers when an endpoint answers again on the same address. Leaves a screenshot in
 * {@code target/dashboard.png}.
 * <p>
 * Needs Debian's {@code chromium} and {@code chromium-driver} (installs nothing itself; skipped without them).
 */
class DashboardBrowserTest
{
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int PARTITIONS = 3;
    private static final int BURSTS = 3;

    @TempDir
    Path dir;

    @Test
    void shouldShowThePipelineLiveAndSayWhenTheDaemonIsUnreachable() throws Exception
    {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "Chromium/chromedriver not found at " +
            CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
        final Random random = new Random(TestSeeds.seed("shouldShowThePipelineLiveAndSayWhenTheDaemonIsUnreachable"));
        MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.url().getPort());
        WebDriver browser = null;
        Engine engine = null;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", PARTITIONS);
            final PipelineSpec spec = PipelineBuilder.named("dashboard-demo").source("in")
                .window(3, 1, Aggregation.SUM, ValueKind.LONG).sink("out").deadLetterTopic("dlq")
                .kafkaProperty("bootstrap.servers", broker.bootstrapServers()).build()
                .withJournalDir(dir.resolve("journal").toString());
            final MetricsServer endpoint = server;
            engine = KafkaPipeline.start(spec, 30_000, (started, source, sink, journalDir) ->
                endpoint.register(new PipelineMetrics(started, source, sink, journalDir)));
            browser = startChromium();
            browser.get(server.url() + "/");
            final WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
            waitFor(wait, "the page names the pipeline and says it is ready", page ->
                text(page, "pipeline-name").equals("dashboard-demo") && text(page, "ready").equals("ready"));

            // A few bursts, each processed before the next, so that the charts have something to draw.
            int records = 0;
            int bad = 0;
            for (int burst = 0; burst < BURSTS; burst++)
            {
                final int burstRecords = 500 + random.nextInt(1_500);
                final int burstBad = random.nextInt(4);
                KafkaPipelineMetricsTest.produce(broker.bootstrapServers(), random, burstRecords, burstBad);
                records += burstRecords;
                bad += burstBad;
                final String inputs = String.format(Locale.US, "%,d", records);
                waitFor(wait, "the page shows " + inputs + " inputs", page -> text(page, "events-in").equals(inputs));
            }
            System.out.printf("DashboardBrowserTest: %d records, %d bad%n", records, bad);

            final String deadLettered = String.format(Locale.US, "%,d", bad);
            waitFor(wait, "lag 0, " + deadLettered + " dead letters and a latency line of two points or more",
                page -> text(page, "lag-total").equals("0") && text(page, "dead-lettered").equals(deadLettered) &&
                    page.findElement(By.cssSelector("#chart-latency path[data-series=p99]"))
                        .getDomAttribute("d").contains("L"));
            assertThat(text(browser, "events-out")).isEqualTo(String.format(Locale.US, "%,d", records - bad));
            assertThat(browser.findElements(By.cssSelector("#lag-table tr"))).hasSize(PARTITIONS);
            assertThat(browser.findElement(By.id("banner")).isDisplayed()).isFalse();
            // No watermark or model version in this engine's status document: those panels stay hidden.
            assertThat(browser.findElement(By.id("panel-watermark")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("panel-models")).isDisplayed()).isFalse();
            screenshot(browser, Path.of("target", "dashboard.png"));

            engine.close();
            server.close();
            waitFor(wait, "the page says the daemon is unreachable", page ->
                page.findElement(By.id("banner")).isDisplayed() && text(page, "ready").equals("unreachable"));
            assertThat(text(browser, "banner")).startsWith("Daemon unreachable: the connection failed");

            server = MetricsServer.start(address);
            waitFor(wait, "the page recovers once an endpoint answers again", page ->
                !page.findElement(By.id("banner")).isDisplayed() &&
                    text(page, "pipeline-name").equals("no pipeline running") &&
                    text(page, "ready").equals("not ready"));
        }
        finally
        {
            if (null != browser)
            {
                browser.quit();
            }
            if (null != engine)
            {
                engine.close();
            }
            server.close();
        }
    }

    private static WebDriver startChromium()
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1280,720", "--hide-scrollbars");
        // Given explicitly, the driver is used as is: Selenium Manager neither looks for nor downloads one.
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void waitFor(final WebDriverWait wait, final String what, final Function<WebDriver, Boolean> until)
    {
        wait.withMessage(what).until(until);
    }

    private static String text(final WebDriver page, final String id)
    {
        return page.findElement(By.id(id)).getText();
    }

    private static void screenshot(final WebDriver browser, final Path file) throws Exception
    {
        final byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }
}
