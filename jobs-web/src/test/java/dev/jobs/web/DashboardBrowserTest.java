package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobInfo;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The dashboard in real headless Chromium: what a person does with it, and what it must never do. */
@Timeout(120)
class DashboardBrowserTest extends BrowserTestSupport {

    private UUID dispatch(String name, String parameters) {
        return jobs.dispatchByName(name, parameters).id();
    }

    private void awaitStatus(JobStatus status) {
        awaitElement("#job-status .status[data-status=\"" + status + "\"]");
    }

    private void awaitStored(UUID id, JobStatus status) {
        await(d -> jobs.info(id).status() == status);
    }

    @Test
    void aJobDispatchedFromTheGeneratedFormShowsItsProgressReachingOneHundredPercent() throws Exception {
        start();
        String key = gateKey();
        open("#/dispatch/web.gate");
        awaitElement("#field-key").sendKeys(key);
        screenshot("dispatch-form");
        browser.findElement(By.id("dispatch-submit")).click();

        awaitText("#job-percent", "50%");
        String url = browser.getCurrentUrl();
        UUID id = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
        assertThat(jobs.info(id).parameters()).hasValue("{\"key\":\"" + key + "\"}");
        screenshot("job-running");

        GateJob.release(key);
        awaitStatus(JobStatus.COMPLETED);
        awaitText("#job-percent", "100%");
        assertThat(browser.findElement(By.id("job-progress")).getAttribute("value"))
                .isEqualTo("100");
        assertThat(text("#job-output")).contains(key);
        screenshot("job-completed");
    }

    @Test
    void theFormShowsTheServersFieldErrorBesideTheField() throws Exception {
        start();
        open("#/dispatch/web.echo");
        awaitElement("#field-label").sendKeys("x");
        browser.findElement(By.id("dispatch-submit")).click(); // count, required, left empty
        awaitText("#error-count", "required");
        assertThat(browser.findElement(By.id("field-count")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void pauseAndResumeARunningJobFromItsPage() throws Exception {
        start();
        String key = gateKey();
        UUID id = dispatch("web.gate", "{\"key\":\"" + key + "\"}");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.RUNNING);

        click(By.cssSelector("#action-pause:enabled"));
        awaitStatus(JobStatus.PAUSED);
        awaitStored(id, JobStatus.PAUSED);
        screenshot("job-paused");

        click(By.cssSelector("#action-resume:enabled"));
        awaitStatus(JobStatus.RUNNING);
        GateJob.release(key);
        awaitStatus(JobStatus.COMPLETED);
        assertThat(jobs.handle(id).result().get(10, TimeUnit.SECONDS)).isEqualTo(key);
    }

    /**
     * The answer to a pause is the job as the request left it (RUNNING, pause requested). When it
     * reaches the page after the job already paused (and the page showed it), the page must not go
     * back to RUNNING. The network is slowed for that one answer, so the order is certain.
     */
    @Test
    void aPauseAnsweredAfterTheJobPausedStillShowsItPaused() throws Exception {
        start();
        UUID id = dispatch("web.gate", "{\"key\":\"" + gateKey() + "\"}");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.RUNNING);
        browser.executeScript("""
                const fetchNow = window.fetch;
                window.fetch = (url, init) => {
                  const answer = fetchNow(url, init);
                  if (!(init && init.method === 'POST' && String(url).endsWith('/pause'))) return answer;
                  return answer.then((r) => new Promise((resolve) => setTimeout(() => {
                    resolve(r);
                    setTimeout(() => { window.pauseAnswered = true; }, 0);
                  }, 1500)));
                };""");

        click(By.cssSelector("#action-pause:enabled"));
        awaitStored(id, JobStatus.PAUSED);
        await(d -> Boolean.TRUE.equals(browser.executeScript("return window.pauseAnswered === true")));
        awaitStatus(JobStatus.PAUSED);
        assertThat(text("#job-status")).doesNotContain("requested");
    }

    @Test
    void cancelARunningJobFromItsPage() throws Exception {
        start();
        UUID id = dispatch("web.gate", "{\"key\":\"" + gateKey() + "\"}");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.RUNNING);
        click(By.cssSelector("#action-cancel:enabled"));
        browser.switchTo().alert().accept();
        awaitStatus(JobStatus.CANCELLED);
        awaitStored(id, JobStatus.CANCELLED);
        assertThat(browser.findElement(By.id("action-rerun")).isEnabled()).isTrue();
    }

    @Test
    void aLogLineAppearsLiveOnTheJobsPage() throws Exception {
        start();
        String key = "talk-" + UUID.randomUUID();
        UUID id = dispatch("web.talk", "{\"key\":\"" + key + "\"}");
        TalkJob.say(key, "first line");
        open("#/jobs/" + id);
        awaitText("#job-log", "first line");

        TalkJob.say(key, "a line written while the page is open");
        awaitText("#job-log", "a line written while the page is open");
        assertThat(browser.findElements(By.cssSelector("#job-log li"))).hasSize(2);
        screenshot("job-log");
        TalkJob.say(key, "bye");
        awaitStatus(JobStatus.COMPLETED);
    }

    @Test
    void theJobsTableUpdatesLiveAndFailedJobsCanBeRerun() throws Exception {
        start();
        open("#/");
        awaitElement("#jobs-table");
        UUID failed = dispatch("web.echo", "{\"count\":-1}"); // "x".repeat(-1) throws
        awaitElement("#jobs-table tr[data-id=\"" + failed + "\"][data-status=\"FAILED\"]");
        screenshot("jobs");

        open("#/failed");
        click(By.cssSelector("tr[data-id=\"" + failed + "\"] button.rerun"));
        await(d -> d.getCurrentUrl().contains("#/jobs/") && !d.getCurrentUrl().endsWith(failed.toString()));
        String url = browser.getCurrentUrl();
        UUID copy = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
        assertThat(jobs.info(copy).rerunOf()).hasValue(failed);
    }

    @Test
    void markupInAParameterAndALogLineIsShownAsTextAndNeverRuns() throws Exception {
        start();
        String attack = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>";
        UUID id = dispatch("web.echo", "{\"count\":1,\"label\":" + MAPPER.writeValueAsString(attack) + "}");
        jobs.handle(id).result().get(30, TimeUnit.SECONDS); // it logs "label <img ...>"
        open("#/jobs/" + id);
        awaitText("#job-log", "label " + attack);
        awaitText("#job-parameters", attack);
        assertThat(text("#job-output")).contains(attack);
        open("#/");
        awaitElement("#jobs-table tr[data-id=\"" + id + "\"]");
        open("#/jobs/" + id);
        awaitText("#job-log", attack);
        assertThat(browser.executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("main img, main script")))
                .isEmpty();
    }

    @Test
    void atThreeHundredTwentyPixelsNothingScrollsSideways() throws Exception {
        start();
        String key = gateKey();
        UUID id = dispatch("web.gate", "{\"key\":\"" + key + "\"}");
        dispatch("web.echo", "{\"count\":2,\"label\":\"a-rather-long-label-without-any-space-in-it-at-all\"}");
        browser.manage().window().setSize(new Dimension(320, 720));
        int width = ((Long) browser.executeScript("return window.innerWidth")).intValue();
        open("#/");
        awaitElement("#jobs-table tr[data-id=\"" + id + "\"]");
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(width);
        screenshot("jobs-320px");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.RUNNING);
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(width);
        screenshot("job-320px");
    }

    @Test
    void theKeyboardAloneFindsAJobAndOpensIt() throws Exception {
        start();
        UUID wanted = dispatch("web.echo", "{\"count\":1,\"label\":\"needle\"}");
        dispatch("web.echo", "{\"count\":1,\"label\":\"hay\"}");
        open("#/");
        WebElement search = awaitElement("#filter-text");
        search.click();
        search.sendKeys("needle");
        await(d -> d.findElements(By.cssSelector("#jobs-table tbody tr")).size() == 1
                && !d.findElements(By.cssSelector("tr[data-id=\"" + wanted + "\"]"))
                        .isEmpty());
        // Tab from the search box through the other controls to the first link of the table
        for (int i = 0; i < 10; i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement focused = browser.switchTo().activeElement();
            if ("a".equals(focused.getTagName()) && focused.getAttribute("href").contains("#/jobs/")) {
                focused.sendKeys(Keys.ENTER);
                break;
            }
        }
        await(d -> d.getCurrentUrl().endsWith("#/jobs/" + wanted));
        awaitText("#job-parameters", "needle");
    }

    @Test
    void aServerWithATokenAsksForItOnceAndThenWorks() throws Exception {
        start(JobsWeb.Options.defaults().token("s3cret"));
        UUID id = dispatch("web.echo", "{\"count\":1,\"label\":\"t\"}");
        open("#/");
        awaitElement("#token-input").sendKeys("s3cret", Keys.ENTER);
        awaitElement("#jobs-table tr[data-id=\"" + id + "\"]");
        browser.executeScript("sessionStorage.clear()");
    }

    @Test
    void theSchedulesViewRunsAScheduleNow() throws Exception {
        start();
        jobs.schedules()
                .upsert(
                        "hourly echo",
                        dev.jobs.runtime.Schedule.parse("every 1h"),
                        "web.echo",
                        "{\"count\":1,\"label\":\"s\"}");
        open("#/schedules");
        awaitText("#schedules-table tr[data-name=\"hourly echo\"]", "every PT1H");
        awaitText("#schedules-table tr[data-name=\"hourly echo\"]", "web.echo");
        click(By.xpath("//tr[@data-name='hourly echo']//button[text()='Run now']"));
        await(d -> d.getCurrentUrl().contains("#/jobs/"));
        String url = browser.getCurrentUrl();
        JobInfo info = jobs.info(UUID.fromString(url.substring(url.lastIndexOf('/') + 1)));
        assertThat(info.schedule()).hasValue("hourly echo");
    }

    @Test
    void theTableShowsJobsOfEveryStatusWithTheirProgress() throws Exception {
        start();
        UUID done = dispatch("web.echo", "{\"count\":3,\"label\":\"ok\"}");
        jobs.handle(done).result().get(30, TimeUnit.SECONDS);
        UUID failed = dispatch("web.echo", "{\"count\":-1}");
        await(d -> jobs.info(failed).status() == JobStatus.FAILED);
        UUID paused = dispatch("web.gate", "{\"key\":\"" + gateKey() + "\"}");
        await(d -> jobs.info(paused).progress().isPresent());
        jobs.pause(paused);
        await(d -> jobs.info(paused).status() == JobStatus.PAUSED);
        UUID running = dispatch("web.gate", "{\"key\":\"" + gateKey() + "\"}");
        await(d -> jobs.info(running).progress().isPresent());
        open("#/");
        for (UUID id : new UUID[] {done, failed, paused, running}) {
            awaitElement("#jobs-table tr[data-id=\"" + id + "\"][data-status=\""
                    + jobs.info(id).status() + "\"]");
        }
        WebElement bar = browser.findElement(By.cssSelector("tr[data-id=\"" + running + "\"] progress"));
        assertThat(bar.getAttribute("value")).isEqualTo("50");
        assertThat(bar.isDisplayed()).isTrue();
        assertThat(browser.findElement(By.cssSelector("tr[data-id=\"" + done + "\"] progress"))
                        .isDisplayed())
                .as("a job that never reported progress shows no bar")
                .isFalse();
        screenshot("jobs-table");
    }

    @Test
    void theFormSendsALongBeyondTwoToTheFiftyThreeExactlyAndLeavesAnOptionalBooleanOut() throws Exception {
        start();
        open("#/dispatch/web.wide");
        awaitElement("#field-big").sendKeys("9223372036854775807");
        browser.findElement(By.id("field-nums")).sendKeys("1\n2");
        assertThat(new Select(browser.findElement(By.id("field-flag")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("(default)");
        browser.findElement(By.id("dispatch-submit")).click();
        awaitStatus(JobStatus.COMPLETED);
        awaitText("#job-output", "9223372036854775807 [1, 2] null");
    }

    @Test
    void aListItemThatIsNotANumberIsShownBesideItsFieldAndNothingIsDispatched() {
        start();
        open("#/dispatch/web.wide");
        awaitElement("#field-big").sendKeys("1");
        browser.findElement(By.id("field-nums")).sendKeys("1\nabc");
        browser.findElement(By.id("dispatch-submit")).click();
        awaitText("#error-nums", "item 2 must be a whole number");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void logLinesAreShownOnceEachAcrossAReconnectAndIdenticalLinesAllShow() throws Exception {
        start();
        String key = "talk-" + UUID.randomUUID();
        UUID id = dispatch("web.talk", "{\"key\":\"" + key + "\"}");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.RUNNING);
        TalkJob.say(key, "one");
        awaitText("#job-log", "one");
        int port = web.port();
        web.close(); // the page's stream drops; it reconnects to the server started again
        web = JobsWeb.start(jobs, JobsWeb.Options.defaults().port(port));
        await(d -> "live".equals(d.findElement(By.id("connection")).getText()));
        for (int i = 0; i < 3; i++) {
            TalkJob.say(key, "tick");
        }
        TalkJob.say(key, "two");
        awaitText("#job-log", "two");
        assertThat(browser.findElements(By.cssSelector("#job-log li .message")).stream()
                        .map(WebElement::getText))
                .containsExactly("one", "tick", "tick", "tick", "two");
        TalkJob.say(key, "bye");
    }

    @Test
    void theTableKeepsUpWhileJobsArriveWithoutPause() throws Exception {
        start();
        open("#/");
        awaitElement("#jobs-table");
        java.util.concurrent.atomic.AtomicInteger dispatched = new java.util.concurrent.atomic.AtomicInteger();
        Thread load = new Thread(() -> {
            // a steady stream of jobs, one every 100 ms, for at most 20 s
            while (dispatched.get() < 200 && !Thread.currentThread().isInterrupted()) {
                dispatch("web.echo", "{\"count\":1}");
                dispatched.incrementAndGet();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        load.start();
        try {
            await(d -> d.findElements(By.cssSelector("#jobs-table tbody tr")).size() >= 10);
            assertThat(load.isAlive())
                    .as("the table caught up while jobs still arrived")
                    .isTrue();
        } finally {
            load.interrupt();
            load.join();
        }
    }

    @Test
    void aPageStaysUsableWhenTheServerRefusesItsEventStream() throws Exception {
        start(JobsWeb.Options.defaults().maxEventStreams(0));
        UUID id = dispatch("web.echo", "{\"count\":1}");
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);
        open("#/");
        awaitElement("#jobs-table tr[data-id=\"" + id + "\"]");
        awaitText("#connection", "not live");
        open("#/jobs/" + id);
        awaitStatus(JobStatus.COMPLETED);
    }

    @Test
    void anAddressThatIsNotAJobsSaysSo() {
        start();
        open("#/jobs/not-a-uuid");
        awaitText("main", "is not a job id");
        open("#/jobs/%E0%A4%A");
        awaitText("main", "Not found");
        open("#/jobs/" + UUID.randomUUID());
        awaitText("main", "No job has this id");
    }

    @Test
    void theJobTypeSelectListsEveryRegisteredJob() {
        start();
        open("#/dispatch");
        Select select = new Select(awaitElement("#dispatch-type"));
        await(d -> select.getOptions().size() > 1);
        assertThat(select.getOptions().stream().map(WebElement::getText)).contains("web.echo", "web.gate", "web.talk");
    }
}
