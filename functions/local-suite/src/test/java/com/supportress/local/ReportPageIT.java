package com.supportress.local;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.TenantUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier, end to end: the security report form (/report) in headless Chromium (Debian's chromium and
 * chromedriver), served by the local suite under its Content-Security-Policy: a field the server rejects is shown at
 * the field and nothing is filed; a double click files one report; the receipt opens the follow-up view, where the
 * team's reply (sent through the triage API with a real team token) appears and the reporter adds a message.
 * Skipped, with a message, where Chromium is not installed.
 */
class ReportPageIT {

    private static LocalSuite.Running suite;
    private static EmulatedStack stack;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled("ReportPageIT");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        suite = LocalSuite.serving(EmulatedStack.create(LocalSuite.withLocalOrigin(Map.of(), port)), port, Map.of());
        stack = suite.stack();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void rejectedFieldIsShownThenADoubleClickFilesOneReportAndTheReceiptFollowsIt() throws Exception {
        String reporter = "reporter-" + System.nanoTime() + "@example.org";
        browser.get(url("/report"));
        fill("reporterEmail", "not-an-address");
        fill("summary", "Stored XSS in ticket subject");
        fill("description", "Steps to reproduce:\n1. open a ticket\n2. ...");
        browser.findElement(By.cssSelector("#category option[value=exploit]")).click();
        browser.findElement(By.id("submit")).click();

        waitFor(() -> !browser.findElement(By.id("error-reporterEmail")).getText().isEmpty(), "the field error");
        assertTrue(browser.findElement(By.id("error-reporterEmail")).getText().contains("valid email"));
        assertEquals("true", browser.findElement(By.id("reporterEmail")).getDomAttribute("aria-invalid"));
        assertEquals(0, reportsBy(reporter));

        browser.findElement(By.id("reporterEmail")).clear();
        fill("reporterEmail", reporter);
        // A double click: two submissions of one body before the first answer arrives.
        ((JavascriptExecutor) browser).executeScript(
                "const form = document.getElementById('report-form');"
                        + "form.requestSubmit(); document.getElementById('submit').disabled = false; form.requestSubmit();");
        waitFor(() -> browser.findElement(By.id("receipt")).isDisplayed(), "the receipt");
        String id = browser.findElement(By.id("receipt-id")).getText();
        String token = browser.findElement(By.id("receipt-token")).getText();
        assertTrue(id.matches("inc_[a-z2-7]{32}") && token.matches("fut_[a-z2-7]{32}"), id + " " + token);
        assertEquals(1, reportsBy(reporter), "a double click files one report");
        waitFor(() -> "received".equals(browser.findElement(By.id("follow-status")).getText()), "the follow-up view");

        String teamToken = new TenantUsers(stack).idTokenInGroup(stack.parameter("SecurityTeamGroup"));
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/triage/reports/" + id + "/replies")))
                .header("Authorization", "Bearer " + teamToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Thanks, confirmed.\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, reply.statusCode(), reply.body());

        browser.get(browser.findElement(By.id("receipt-link")).getDomAttribute("href"));
        browser.navigate().refresh();
        waitFor(() -> browser.findElement(By.id("follow-messages")).getText().contains("Thanks, confirmed."), "the team's reply");
        fill("message", "It happens on the mobile app too.");
        browser.findElement(By.id("send-message")).click();
        waitFor(() -> browser.findElement(By.id("follow-messages")).getText().contains("mobile app"), "the reporter's message");
        assertFalse(browser.findElement(By.id("report-form")).isDisplayed(), "the follow-up link opens the report, not a new form");
    }

    /**
     * Two attachments through the form: a real PNG is checked and replicated like any upload; a "PNG" that is text
     * fails the magic-number check and is quarantined, and the follow-up view says so.
     */
    @Test
    void attachmentsGoThroughTheUploadChecksAndAMismatchedOneIsQuarantined() throws Exception {
        byte[] png = new byte[4096];
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        Path screenshot = Files.createTempDirectory("report").resolve("screenshot.png");
        Files.write(screenshot, png);
        Path disguised = screenshot.resolveSibling("not-really.png");
        Files.writeString(disguised, "this is text, not an image\n");

        browser.get(url("/report"));
        fill("reporterEmail", "attacher-" + System.nanoTime() + "@example.org");
        fill("summary", "Session token in a screenshot");
        fill("description", "See the attached files.");
        browser.findElement(By.cssSelector("#category option[value=data-exposure]")).click();
        browser.findElement(By.id("attachments")).sendKeys(screenshot + "\n" + disguised);
        browser.findElement(By.id("submit")).click();

        waitFor(() -> browser.findElement(By.id("receipt")).isDisplayed(), "the receipt");
        String id = browser.findElement(By.id("receipt-id")).getText();
        // Read in the same pass that sees both checked: the page redraws the list while it polls.
        AtomicReference<List<String>> checked = new AtomicReference<>();
        waitFor(() -> {
            List<WebElement> items = browser.findElements(By.cssSelector("#follow-attachments li"));
            if (items.size() != 2 || !items.stream().allMatch(item -> Set.of("replicated", "quarantined").contains(item.getDomAttribute("data-status")))) {
                return false;
            }
            checked.set(items.stream().map(WebElement::getText).sorted().toList());
            return true;
        }, "both attachments checked");
        List<String> attachments = checked.get();
        assertTrue(attachments.get(0).startsWith("not-really.png: quarantined (content is not image/png)"), attachments.toString());
        assertTrue(attachments.get(1).startsWith("screenshot.png: replicated"), attachments.toString());
        assertEquals("", browser.findElement(By.id("error-attachments")).getText());
        var objects = stack.s3().listObjectsV2(r -> r.bucket(stack.physicalName("UploadBucket")).prefix("reports/" + id + "/")).contents();
        // The quarantined upload's live key keeps an empty object, the marker that closes it (UploadKeys): its bytes left.
        assertEquals(1, objects.stream().filter(object -> object.size() > 0).count(), "the quarantined file left the report's prefix: " + objects);
        assertEquals(1, stack.s3().listObjectsV2(r -> r.bucket(stack.physicalName("UploadBucket")).prefix("quarantine/reports/" + id + "/")).keyCount());
    }

    @AfterEach
    void nothingWasBlockedByTheContentSecurityPolicy() {
        assertEquals(List.of(), HeadlessChromium.cspViolations(browser));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + suite.port() + path;
    }

    private static void fill(String id, String text) {
        browser.findElement(By.id(id)).sendKeys(text);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!holds(condition)) {
            assertTrue(System.nanoTime() < deadline, what + " never appeared; status: " + browser.findElement(By.id("report-status")).getText());
            Thread.sleep(100);
        }
    }

    /** An element the page redrew between finding and reading it means "not yet", as any other unmet condition. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (StaleElementReferenceException redrawn) {
            return false;
        }
    }

    private static int reportsBy(String reporter) {
        return stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IncidentReportsTable"))
                .filterExpression("reporterEmail = :email").expressionAttributeValues(Map.of(":email", AttributeValue.fromS(reporter)))).count();
    }
}
