package com.supportress.local;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.TenantUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tier, end to end: the upload page in headless Chromium (Debian's chromium and chromedriver),
 * served by the local suite (PagesFunction, under its Content-Security-Policy), signing in to the emulator's
 * Cognito as a browser signs in to Cognito's public endpoint, uploading straight to the emulator's S3 and polling
 * until the ingest function (run by the suite's queue poller) reports the replica. Any CSP violation the browser
 * reports fails the test. Skipped, with a message, where Chromium is not installed.
 */
@Tag("emulator")
@Tag("chromium")
class UploadPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Set<String> FINAL = Set.of("replicated", "quarantined", "failed", "error");
    private static final String TENANT = "demo";

    private static EmulatedStack stack;
    private static LocalFunctions functions;
    private static LocalHttpServer server;
    private static QueuePollers pollers;
    private static TenantUsers users;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("UploadPageIT SKIPPED: no " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with: apt-get install -y chromium chromium-driver");
        }
        assumeTrue(installed, "no Chromium: apt-get install -y chromium chromium-driver");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        stack = EmulatedStack.create(LocalSuite.withLocalOrigin(Map.of(), port));
        functions = new LocalFunctions(stack);
        server = new LocalHttpServer(stack, functions, port);
        pollers = QueuePollers.start(stack, functions);
        users = new TenantUsers(stack);
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage");
        // The console is where Chromium reports what the Content-Security-Policy blocked.
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (pollers != null) {
            pollers.close();
        }
        if (server != null) {
            server.close();
        }
        if (functions != null) {
            functions.close();
        }
    }

    @Test
    void anInvitedUserSetsAPasswordThenASmallFileGoesUpInOnePutAndEndsReplicated() throws Exception {
        byte[] png = new byte[64 * 1024];
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        Path file = Files.createTempFile("photo", ".png");
        Files.write(file, png);
        String email = "invited-" + System.nanoTime() + "@example.org";
        users.createWithTemporaryPassword(email, TENANT, "Temporary-Pass-1");

        signIn(email, "Temporary-Pass-1", "Chosen-Password-2");
        assertEquals(TENANT, browser.findElement(By.id("tenant")).getText());
        String status = uploadThroughThePage(file, Duration.ofSeconds(60));

        assertEquals("replicated", status, browser.findElement(By.id("status")).getText());
        assertEquals("1", browser.findElement(By.id("progress")).getDomProperty("value"));
        assertArrayEquals(png, replica(browser.findElement(By.id("upload-id")).getText()));
    }

    @Test
    void fileAboveTheSinglePutLimitGoesUpInParallelPartsAndEndsReplicated() throws Exception {
        // Just over the template's SINGLE_PUT_MAX_BYTES (100 MiB): two parts of the 64 MiB part size.
        byte[] text = new byte[101 * 1024 * 1024];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        Path file = Files.createTempFile("large", ".txt");
        Files.write(file, text);

        signIn(users.create(TENANT), TenantUsers.PASSWORD, null);
        String status = uploadThroughThePage(file, Duration.ofSeconds(180));

        assertEquals("replicated", status, browser.findElement(By.id("status")).getText());
        String uploadId = browser.findElement(By.id("upload-id")).getText();
        assertTrue(stack.s3().listMultipartUploads(r -> r.bucket(stack.physicalName("UploadBucket"))).uploads().isEmpty(), "completed, not left open");
        assertEquals(text.length, stack.s3(stack.secondaryRegion()).headObject(r -> r.bucket(replicaBucket()).key("tenants/" + TENANT + "/" + uploadId)).contentLength());
    }

    @AfterEach
    void nothingWasBlockedByTheContentSecurityPolicy() {
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
        assertEquals(List.of(), violations);
    }

    /** Opens the page and signs in as a user would; with a new password when Cognito asks for one (first sign-in). */
    private static void signIn(String email, String password, String newPassword) throws InterruptedException {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        waitUntilDisplayed("sign-in-form");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        if (newPassword != null) {
            waitUntilDisplayed("new-password-field");
            browser.findElement(By.id("new-password")).sendKeys(newPassword);
            browser.findElement(By.id("sign-in")).click();
        }
        waitUntilDisplayed("upload-form");
    }

    private static void waitUntilDisplayed(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!browser.findElement(By.id(id)).isDisplayed()) {
            assertTrue(System.nanoTime() < deadline, id + " never shown; page says: " + browser.findElement(By.id("sign-in-status")).getText());
            Thread.sleep(100);
        }
    }

    @Test
    void refusedUploadShowsTheProblemDetailsTitleStatusAndInvalidField() throws Exception {
        Path empty = Files.createTempFile("empty", ".txt");

        signIn(users.create(TENANT), TenantUsers.PASSWORD, null);
        String status = uploadThroughThePage(empty, Duration.ofSeconds(30));

        assertEquals("error", status);
        String shown = browser.findElement(By.id("status")).getText();
        assertTrue(shown.startsWith("Invalid request fields (400): size must be"), shown);
    }

    /** Picks the file, presses Upload and waits for the page to show a final status (or the timeout). */
    private static String uploadThroughThePage(Path file, Duration timeout) throws InterruptedException {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.id("start")).click();
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = browser.findElement(By.id("status")).getDomAttribute("data-status");
        while (!FINAL.contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = browser.findElement(By.id("status")).getDomAttribute("data-status");
        }
        return status;
    }

    private static byte[] replica(String uploadId) {
        S3Client s3 = stack.s3(stack.secondaryRegion());
        return s3.getObjectAsBytes(r -> r.bucket(replicaBucket()).key("tenants/" + TENANT + "/" + uploadId)).asByteArray();
    }

    private static String replicaBucket() {
        return stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
    }

}
