package io.mphub.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.mphub.testing.Browser;
import io.mphub.testing.ConsoleClient;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console page in a real browser (headless Chromium), as an operator sees and uses it: one destination paused by
 * hand and the others delivering, a lag that grows while the page refreshes itself, a pause and a resume done by
 * clicking, and a replay started from the page whose events reach the receiver with their original webhook-id.
 */
class ConsolePageIT {

    private static final String TOKEN = TestSecrets.alphanumeric(24);
    @RegisterExtension
    final HubFixture fixture = new HubFixture();
    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorSeesPausesResumesAndReplaysFromThePage() throws Exception {
        fixture.startHub(Map.of("mphub.console.token", TOKEN));
        ConsoleClient api = new ConsoleClient(fixture.hub.consolePort(), TOKEN);
        Receiver payment = fixture.receiver("payment");
        Receiver customerService = fixture.receiver("customer-service");
        // Dead letters to replay later: customer-service refuses these for now.
        customerService.answer(a -> a.webhookId().startsWith("refused-") ? Receiver.Answer.of(400)
                : Receiver.Answer.of(204));
        List<String> refused = fixture.publishOrders("refused-", 3);
        await().atMost(60, TimeUnit.SECONDS).until(() -> api.destination("customer-service").path("deadLetters")
                .asLong() == 3);
        assertThat(api.post("/api/destinations/payment/pause", "{\"why\":\"receiver upgrade\"}").statusCode())
                .isEqualTo(200);

        browser = Browser.start(new Dimension(1280, 1000));
        browser.get("http://127.0.0.1:" + fixture.hub.consolePort() + "/");
        assertThat(browser.getTitle()).isEqualTo("mphub console");
        assertThat(state("payment")).startsWith("paused").contains("by an operator: receiver upgrade")
                .contains("until an operator resumes it");
        assertThat(state("analytics")).isEqualTo("running");
        assertThat(cell("customer-service", "dead-letters")).isEqualTo("3");
        assertThat(cell("customer-service", "last-error")).contains("HTTP 400");

        // The lag of the paused destination grows on the page as events arrive (the page refreshes itself).
        long lagBefore = Long.parseLong(cell("payment", "lag"));
        List<String> held = fixture.publishOrders("held-", 4);
        await().atMost(60, TimeUnit.SECONDS).until(() -> lag("payment") >= lagBefore + 4);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(fixture.receiver("analytics").delivered()).containsAll(held));
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(held);

        // An action without the token is refused on the page; with it, pause and resume are a click each.
        click("analytics", "Pause");
        await().atMost(10, TimeUnit.SECONDS).until(() -> said().contains("Enter the operator token first."));
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        click("analytics", "Pause");
        await().atMost(20, TimeUnit.SECONDS).until(() -> state("analytics").startsWith("paused"));
        assertThat(state("analytics")).contains("by an operator");
        click("analytics", "Resume");
        await().atMost(20, TimeUnit.SECONDS).until(() -> state("analytics").equals("running"));
        click("payment", "Resume");
        await().atMost(20, TimeUnit.SECONDS).until(() -> state("payment").equals("running"));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(held));

        // A replay started from the page: the receiver is fixed, the dead letters arrive with their webhook-ids.
        customerService.answer(a -> Receiver.Answer.of(204));
        WebElement form = browser.findElement(By.id("replay"));
        new Select(form.findElement(By.name("destination"))).selectByVisibleText("customer-service");
        form.findElement(By.name("reason")).sendKeys("http_4xx");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(20, TimeUnit.SECONDS).until(() -> said().startsWith("Replay customer-service-"));
        await().atMost(60, TimeUnit.SECONDS).until(() -> browser.findElements(By.cssSelector("#replays td.done"))
                .size() == 1);
        assertThat(fresh(() -> browser.findElement(By.cssSelector("#replays td.replayed")).getText())).isEqualTo("3");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(customerService.delivered()).containsAll(refused));
        for (String id : refused) {
            assertThat(customerService.attemptsOf(id)).extracting(Receiver.Arrival::answeredStatus).containsExactly(400, 204);
        }

        // The delivery log, filtered from the page.
        WebElement filter = browser.findElement(By.id("filter"));
        new Select(filter.findElement(By.name("destination"))).selectByVisibleText("customer-service");
        filter.findElement(By.name("event")).sendKeys(refused.get(0));
        filter.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.findElements(By.cssSelector("#deliveries tbody tr"))
                .size() == 2);
        assertThat(browser.findElements(By.cssSelector("#deliveries td.event"))).extracting(WebElement::getText)
                .containsOnly(refused.get(0));
    }

    @Test
    void thePageFitsAPhone() throws Exception {
        fixture.startHub(Map.of());
        browser = Browser.start(new Dimension(390, 844));
        browser.get("http://127.0.0.1:" + fixture.hub.consolePort() + "/");
        assertThat(state("payment")).isEqualTo("running");
        long pageWidth = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth");
        long viewport = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
        assertThat(pageWidth).as("no sideways scrolling of the page (tables scroll in their own box)")
                .isLessThanOrEqualTo(viewport);
        assertThat(browser.findElement(By.tagName("header")).getText()).contains("View only");
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
    }

    private String state(String destination) {
        return cell(destination, "state").replaceAll("\\s+", " ").trim();
    }

    private long lag(String destination) {
        String text = cell(destination, "lag");
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    /** A cell's text; the page replaces its live part every few seconds, so an element found may be gone: found again. */
    private String cell(String destination, String cssClass) {
        return fresh(() -> browser.findElement(By.cssSelector("tr[data-destination='" + destination + "'] td."
                + cssClass)).getText());
    }

    /** Clicks the destination's button with that label, once it shows. */
    private void click(String destination, String label) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class).until(() -> {
            for (WebElement b : browser.findElements(By.cssSelector("tr[data-destination='" + destination
                    + "'] button"))) {
                if (b.getText().equals(label)) {
                    b.click();
                    return true;
                }
            }
            return false;
        });
    }

    private static <T> T fresh(Supplier<T> read) {
        for (int i = 0;; i++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (i == 5) {
                    throw e;
                }
            }
        }
    }

    private String said() {
        return browser.findElement(By.id("said")).getText();
    }
}
