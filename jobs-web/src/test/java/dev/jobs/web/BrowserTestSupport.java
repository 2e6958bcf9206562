package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driving the
 * dashboard of a real server. Without Chromium the tests are skipped, unless the environment
 * variable {@code JOBS_BROWSER_REQUIRED} is set (CI sets it): then they fail.
 */
abstract class BrowserTestSupport extends WebTestSupport {
    private static final Path CHROMIUM = Path.of(System.getProperty("jobs.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("jobs.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void openBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && System.getenv("JOBS_BROWSER_REQUIRED") != null) {
            throw new IllegalStateException("the browser tests need " + CHROMIUM + " and " + DRIVER
                    + " (Debian: apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "no Chromium at " + CHROMIUM + ": browser tests skipped");
        profile = Files.createTempDirectory("jobs-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void desktopSize() {
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Opens the dashboard at {@code fragment} (such as {@code #/jobs/ID}) on the test's server. */
    void open(String fragment) {
        // a new page each time: the previous test's server (and its streams) is gone
        browser.get("about:blank");
        browser.get(dashboardUrl() + fragment);
    }

    /** Where the dashboard is: the root of the test's {@link JobsWeb}, unless a test mounts it elsewhere. */
    String dashboardUrl() {
        return web.url();
    }

    /** Waits for {@code condition}; on timeout, says what the page showed and what its console said. */
    <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20))
                    // a live view replaces elements: look again
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            StringBuilder page = new StringBuilder("the page at ")
                    .append(browser.getCurrentUrl())
                    .append(":\n");
            page.append(browser.executeScript("return document.documentElement.outerHTML.slice(0, 4000)"))
                    .append(stored(browser.getCurrentUrl()))
                    .append("\nits console:");
            browser.manage()
                    .logs()
                    .get(LogType.BROWSER)
                    .forEach(entry -> page.append("\n").append(entry));
            throw new AssertionError(page.toString(), e);
        }
    }

    /** What the manager stores for the job a {@code #/jobs/ID} page shows, to tell a stale page from a stuck job. */
    private String stored(String url) {
        int at = url.indexOf("#/jobs/");
        if (at < 0 || jobs == null) {
            return "";
        }
        try {
            dev.jobs.runtime.JobInfo info = jobs.info(java.util.UUID.fromString(url.substring(at + 7)));
            return "\nthe manager stores: status " + info.status() + ", asked to stop as "
                    + info.requested().map(Enum::name).orElse("nothing");
        } catch (RuntimeException e) {
            return "\nthe manager's row could not be read: " + e;
        }
    }

    WebElement awaitElement(String css) {
        return await(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Clicks the element {@code by} finds, again if the page replaced it meanwhile (a live reload). */
    void click(By by) {
        await(d -> {
            try {
                var found = d.findElements(by);
                if (found.isEmpty()) {
                    return false;
                }
                found.get(0).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
    }

    void awaitText(String css, String text) {
        await(d -> {
            var found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(text);
        });
    }

    String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(SCREENSHOTS.resolve(name + ".png")).isNotEmptyFile();
    }
}
