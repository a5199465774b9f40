package io.floe.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.OffsetCommit;
import io.floe.log.LogEngine;
import io.floe.model.Header;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.testkit.RadosGwJanitorProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver) against Floe on
 * radosgw: every page loads with real data, the charts draw, the actions work (create a topic,
 * browse and produce records, reset a group), and no page loads anything from another host.
 * Screenshots of each page go to target/console-screenshots (the docs' come from there).
 */
@QuarkusTest
@TestProfile(RadosGwJanitorProfile.class)
class ConsoleBrowserTest {

    static final Path SHOTS = Path.of("target", "console-screenshots");

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    LogEngine engine;

    @Inject
    GroupCoordinator groups;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPageLoadsWithRealDataDrawsItsChartsAndItsActionsWork() throws Exception {
        // Real data: a topic with JSON records, a consumer group that committed part of it.
        engine.createTopic("ui-orders", 3, Map.of("retention.ms", "86400000"));
        List<Message> orders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            orders.add(new Message(i % 3, ("customer-" + (i % 5)).getBytes(StandardCharsets.UTF_8),
                    ("{\"order\":" + i + ",\"amount\":" + (i * 3) + "}").getBytes(StandardCharsets.UTF_8),
                    List.of(new Header("source", "checkout".getBytes(StandardCharsets.UTF_8))), null));
        }
        engine.produce("ui-orders", orders).join();
        // Two commits a little over a second apart: the lag metric's refresher (every 200 ms in tests)
        // keeps one sample per second, so the chart has a history of at least two points.
        commit("ui-billing", 5);
        Thread.sleep(1_100);
        commit("ui-billing", 12);
        Thread.sleep(1_100);

        // Topics: the list, then create one through the form.
        open("ui/topics");
        assertThat(text("#topics")).contains("ui-orders");
        browser.findElement(By.name("name")).sendKeys("ui-created");
        browser.findElement(By.name("partitions")).clear();
        browser.findElement(By.name("partitions")).sendKeys("4");
        browser.findElement(By.cssSelector("#create-topic button")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/topics/ui-created"));
        assertThat(engine.topic("ui-created").partitions()).isEqualTo(4);
        assertLocalOnly();

        open("ui/topics");
        shot("topics");
        open("ui/topics/ui-orders");
        assertThat(text("#partitions")).contains("20");
        assertThat(text("#configs")).contains("retention.ms").contains("86400000");
        shot("topic");

        // Records: browse partition 1 filtered by key, then produce one and land on it.
        open("ui/topics/ui-orders/records");
        new Select(browser.findElement(By.name("partition"))).selectByValue("1");
        browser.findElement(By.name("offset")).sendKeys("0");
        browser.findElement(By.name("key")).sendKeys("customer-1");
        browser.findElement(By.cssSelector("#browse-form button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("key=customer-1"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#records tr.record"));
        // Partition 1 holds i = 1, 4, 7, …; of those, key customer-1 is i % 5 == 1: 1, 16, 31, 46.
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).getText()).contains("\"order\" : 1").contains("source").contains("checkout");
        assertLocalOnly();
        open("ui/topics/ui-orders/records?partition=0");
        shot("records");
        browser.findElement(By.cssSelector("#produce [name=key]")).sendKeys("from-the-console");
        browser.findElement(By.cssSelector("#produce [name=value]")).sendKeys("{\"hello\":\"console\"}");
        browser.findElement(By.cssSelector("#produce button")).click();
        waitFor(() -> !browser.findElements(By.id("produced")).isEmpty());
        assertThat(text("#records")).contains("from-the-console").contains("\"hello\" : \"console\"");

        // Groups: the list, a group with its lag chart, then reset it to earliest.
        open("ui/groups");
        assertThat(text("#groups")).contains("ui-billing");
        shot("groups");
        open("ui/groups/ui-billing");
        // 60 records and the one produced above, 12 committed on each of the 3 partitions.
        assertThat(text("#total-lag")).isEqualTo(Long.toString(61 - 3 * 12));
        assertChartDrawn("#lag-chart");
        String lagChart = browser.findElement(By.id("lag-chart")).getAttribute("data-chart");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lagChart).get("x").size())
                .as("lag samples in %s", lagChart).isGreaterThanOrEqualTo(2);
        shot("group");
        browser.findElement(By.cssSelector("#reset [name=confirm]")).click();
        browser.findElement(By.cssSelector("#reset button")).click();
        waitFor(() -> text("#total-lag").equals("61"));
        assertThat(groups.committed("ui-billing", null).values()).allMatch(o -> o.offset() == 0);
        assertLocalOnly();

        // Background work and cost.
        open("ui/janitor");
        assertThat(text("#runs")).contains("held here").contains("complete");
        shot("janitor");
        open("ui/cost");
        assertThat(Long.parseLong(text("#bytes-written"))).isPositive();
        assertChartDrawn("#requests-chart");
        assertChartDrawn("#bytes-chart");
        shot("cost");
        assertLocalOnly();
    }

    private void commit(String group, long offset) {
        Map<TopicPartition, CommittedOffset> offsets = Map.of(
                new TopicPartition("ui-orders", 0), new CommittedOffset(offset, -1, "", 0),
                new TopicPartition("ui-orders", 1), new CommittedOffset(offset, -1, "", 0),
                new TopicPartition("ui-orders", 2), new CommittedOffset(offset, -1, "", 0));
        assertThat(groups.commit(new OffsetCommit(group, "", null, -1, offsets, OffsetCommit.Durability.SYNC))).isEmpty();
    }

    private void open(String path) {
        browser.get(base.toString() + path);
        waitFor(() -> "complete".equals(((JavascriptExecutor) browser).executeScript("return document.readyState")));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        // A form's POST navigates: an element read just before the new page replaces it goes stale.
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** uPlot draws into a canvas of the chart's size; an empty or failed chart has none. */
    private void assertChartDrawn(String css) {
        waitFor(() -> !browser.findElements(By.cssSelector(css + " canvas")).isEmpty());
        WebElement canvas = browser.findElement(By.cssSelector(css + " canvas"));
        assertThat(canvas.getSize().getWidth()).as("chart %s width", css).isGreaterThan(200);
        assertThat(canvas.getSize().getHeight()).as("chart %s height", css).isGreaterThan(100);
    }

    /** Every resource the page loaded came from Floe itself. */
    @SuppressWarnings("unchecked")
    private void assertLocalOnly() {
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat(performance.getEntriesByType('navigation').map(e => e.name))");
        String origin = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/";
        assertThat(loaded).isNotEmpty().allMatch(u -> u.startsWith(origin), "is served by Floe at " + origin);
    }

    private void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
