package com.supportress.local;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.TenantUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tier, end to end: the upload page in headless Chromium (Debian's chromium and chromedriver),
 * served by the local suite (PagesFunction, under its Content-Security-Policy), signing in to the emulator's
 * Cognito as a browser signs in to Cognito's public endpoint, uploading straight to the emulator's S3 and polling
 * until the ingest function (run by the suite's queue poller) reports the replica. upload-api hands out 5 MiB
 * parts here, so files of tens of MiB have many parts. Any CSP violation the browser reports fails the test.
 * Skipped, with a message, where Chromium is not installed.
 */
@Tag("emulator")
@Tag("chromium")
class UploadPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Set<String> FINAL = Set.of("replicated", "quarantined", "failed", "error");
    private static final long MIB = 1024 * 1024;
    private static final long PART_SIZE = 5 * MIB;
    private static final String TENANT = "demo";

    private static LocalSuite.Running suite;
    private static EmulatedStack stack;
    private static TenantUsers users;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("UploadPageIT SKIPPED: no " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with: apt-get install -y chromium chromium-driver");
        }
        assumeTrue(installed, "no Chromium: apt-get install -y chromium chromium-driver");
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // Small parts make a file of tens of MiB a many-part upload; two parts copied at a time keep moto's memory low.
        suite = LocalSuite.serving(EmulatedStack.create(LocalSuite.withLocalOrigin(Map.of(), port)), port, Map.of(
                "UploadApiFunction", Map.of("PART_SIZE_BYTES", Long.toString(PART_SIZE)),
                "UploadIngestFunction", Map.of("COPY_CONCURRENCY", "2")));
        stack = suite.stack();
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
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void anInvitedUserSetsAPasswordThenASmallFileGoesUpAsOnePartSignedOverItsChecksumAndEndsReplicated() throws Exception {
        byte[] png = new byte[64 * 1024];
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        Path file = Files.createTempFile("photo", ".png");
        Files.write(file, png);
        String email = "invited-" + System.nanoTime() + "@example.org";
        users.createWithTemporaryPassword(email, TENANT, "Temporary-Pass-1");

        signIn(email, "Temporary-Pass-1", "Chosen-Password-2");
        assertEquals(TENANT, browser.findElement(By.id("tenant")).getText());
        String status = upload(file, Duration.ofSeconds(60));

        assertEquals("replicated", status, browser.findElement(By.id("status")).getText());
        assertEquals("1", browser.findElement(By.id("progress")).getDomProperty("value"));
        assertArrayEquals(png, replica(uploadId()));
        assertEquals(compositeSha256(file), browser.findElement(By.id("sha256")).getText(), "S3's composite of one part");
    }

    @Test
    void aLargeFileStreamsInPartsWithoutTheRendererHoldingItAndEndsReplicated() throws Exception {
        long size = 160 * MIB; // 32 parts
        Path file = textFile("large", size);
        signIn(users.create(TENANT), TenantUsers.PASSWORD, null);
        Map<Long, Long> before = resetRendererPeaks();
        assertFalse(before.isEmpty(), "the page's renderer process is found");

        String status = upload(file, Duration.ofSeconds(300));
        long streamed = peakGrowth(before);
        // The same page reading the whole file at once, as the page did before it streamed: the measure must see it.
        Map<Long, Long> afterUpload = resetRendererPeaks();
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "document.getElementById('file').files[0].arrayBuffer()"
                + ".then((bytes) => crypto.subtle.digest('SHA-256', bytes)).then(() => done(true));");
        long wholeFile = peakGrowth(afterUpload);

        System.err.printf("UploadPageIT: renderer peak RSS grew %d MiB streaming a %d MiB file, %d MiB reading it whole%n",
                streamed / MIB, size / MIB, wholeFile / MIB);
        assertEquals("replicated", status, browser.findElement(By.id("status")).getText());
        assertTrue(wholeFile >= size / 2, "reading the file whole shows in the renderer's peak (" + wholeFile / MIB + " MiB)");
        assertTrue(streamed < size / 3, "the renderer's peak RSS grew by " + streamed / MIB + " MiB uploading a "
                + size / MIB + " MiB file: the file was held in memory");
        String uploadId = uploadId();
        assertTrue(openUploads().isEmpty(), "completed, not left open");
        var replica = stack.s3(stack.secondaryRegion()).headObject(r -> r.bucket(replicaBucket()).key(key(uploadId)).checksumMode(ChecksumMode.ENABLED));
        assertEquals(size, replica.contentLength());
        assertEquals(compositeSha256(file).split("-")[0], replica.checksumSHA256().split("-")[0]);
    }

    @Test
    void anUploadInterruptedByAReloadResumesKeepingThePartsS3AlreadyHolds() throws Exception {
        Path file = textFile("resumed", 40 * MIB); // 8 parts
        String user = users.create(TENANT);
        signIn(user, TenantUsers.PASSWORD, null);
        throttleUploads(4 * MIB);
        startUpload(file);
        MultipartUpload open = awaitOpenUploadWithParts(2);
        // The page goes away mid-upload (its tokens with it); S3 keeps the parts it has.
        signIn(user, TenantUsers.PASSWORD, null);

        startUpload(file);
        int held = awaitResumedParts();
        String status = awaitFinalStatus(Duration.ofSeconds(120));

        assertEquals("replicated", status, browser.findElement(By.id("status")).getText());
        assertEquals(key(uploadId()), open.key(), "the same upload, resumed");
        assertTrue(held >= 2, "S3 held " + held + " parts");
        assertEquals(8 - held, partsSentByThisPage(), "only the parts S3 did not hold are sent again");
        assertEquals(Files.size(file), stack.s3(stack.secondaryRegion()).headObject(r -> r.bucket(replicaBucket()).key(open.key())).contentLength());
    }

    @AfterEach
    void nothingWasBlockedByTheContentSecurityPolicy() {
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
        assertEquals(List.of(), violations);
    }

    /** Opens the page and signs in as a user would; with a new password when Cognito asks for one (first sign-in). */
    private static void signIn(String email, String password, String newPassword) throws InterruptedException {
        browser.get("http://127.0.0.1:" + suite.port() + "/");
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
        String status = upload(empty, Duration.ofSeconds(30));

        assertEquals("error", status);
        String shown = browser.findElement(By.id("status")).getText();
        assertTrue(shown.startsWith("Invalid request fields (400): size must be"), shown);
    }

    /** Picks the file, presses Upload and waits for the page to show a final status (or the timeout). */
    private static String upload(Path file, Duration timeout) throws InterruptedException {
        startUpload(file);
        return awaitFinalStatus(timeout);
    }

    private static String awaitFinalStatus(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = browser.findElement(By.id("status")).getDomAttribute("data-status");
        while (!FINAL.contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = browser.findElement(By.id("status")).getDomAttribute("data-status");
        }
        return status;
    }

    private static void startUpload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.id("start")).click();
    }

    /** Slows the page's requests to S3 down to this many bytes per second (-1: no limit), through DevTools. */
    private static void throttleUploads(long bytesPerSecond) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", bytesPerSecond));
    }

    /** How many parts the page found in S3 when it resumed, as it says while uploading the rest. */
    private static int awaitResumedParts() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher resumed = Pattern.compile("resuming: S3 holds (\\d+) of").matcher(browser.findElement(By.id("status")).getText());
            if (resumed.find()) {
                return Integer.parseInt(resumed.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the page did not resume: " + browser.findElement(By.id("status")).getText());
    }

    /** Part PUTs this page load made, from the browser's own resource timing. */
    private static long partsSentByThisPage() {
        Object count = browser.executeScript("return performance.getEntriesByType('resource')"
                + ".filter((entry) => entry.name.includes('partNumber=') && entry.name.includes('uploadId=')).length;");
        return ((Number) count).longValue();
    }

    private static MultipartUpload awaitOpenUploadWithParts(int parts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (MultipartUpload open : openUploads()) {
                if (parts(open).size() >= parts) {
                    return open;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no multipart upload reached " + parts + " parts");
    }

    private static List<MultipartUpload> openUploads() {
        return stack.s3().listMultipartUploads(r -> r.bucket(stack.physicalName("UploadBucket"))).uploads();
    }

    private static List<Part> parts(MultipartUpload open) {
        return stack.s3().listParts(r -> r.bucket(stack.physicalName("UploadBucket")).key(open.key()).uploadId(open.uploadId())).parts();
    }

    /**
     * Resets every renderer's peak resident memory to its current one (Linux: 5 into /proc/PID/clear_refs), so a
     * later peak measures this step alone; returns each renderer's resident memory now, by process id.
     */
    private static Map<Long, Long> resetRendererPeaks() throws IOException {
        Map<Long, Long> rss = new HashMap<>();
        for (Long pid : rendererPeaks().keySet()) {
            Path proc = Path.of("/proc", Long.toString(pid));
            Files.writeString(proc.resolve("clear_refs"), "5");
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss.put(pid, Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        }
        return rss;
    }

    /** The most any renderer's peak resident memory rose above what it held when its peak was reset. */
    private static long peakGrowth(Map<Long, Long> before) {
        long grown = 0;
        for (Map.Entry<Long, Long> renderer : rendererPeaks().entrySet()) {
            grown = Math.max(grown, renderer.getValue() - before.getOrDefault(renderer.getKey(), 0L));
        }
        return grown;
    }

    /**
     * The peak resident memory (VmHWM) of every Chromium renderer this JVM started, by process id. Renderers are
     * the processes that hold a page's JavaScript and the file bytes it reads.
     */
    private static Map<Long, Long> rendererPeaks() {
        Map<Long, Long> peaks = new HashMap<>();
        ProcessHandle.current().descendants().forEach(process -> {
            Path proc = Path.of("/proc", Long.toString(process.pid()));
            try {
                // Read raw: Chromium rewrites its argument area, which ProcessHandle.Info cannot parse.
                if (new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).contains("--type=renderer")) {
                    for (String line : Files.readAllLines(proc.resolve("status"))) {
                        if (line.startsWith("VmHWM:")) {
                            peaks.put(process.pid(), Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                        }
                    }
                }
            } catch (IOException gone) {
                // the process ended meanwhile
            }
        });
        return peaks;
    }

    private static String uploadId() {
        return browser.findElement(By.id("upload-id")).getText();
    }

    private static byte[] replica(String uploadId) {
        return stack.s3(stack.secondaryRegion()).getObjectAsBytes(r -> r.bucket(replicaBucket()).key(key(uploadId))).asByteArray();
    }

    private static String replicaBucket() {
        return stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
    }

    private static String key(String uploadId) {
        return "tenants/" + TENANT + "/" + uploadId;
    }

    /** A text file of this size, written in 1 MiB blocks that differ, so no part repeats another. */
    private static Path textFile(String name, long size) throws IOException {
        Path file = Files.createTempFile(name, ".txt");
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) ('a' + (i + written / MIB) % 26);
                }
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        file.toFile().deleteOnExit();
        return file;
    }

    /** S3's composite checksum of the file in the page's 5 MiB parts. */
    private static String compositeSha256(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        MessageDigest parts = MessageDigest.getInstance("SHA-256");
        List<byte[]> digests = new ArrayList<>();
        for (long start = 0; start < bytes.length; start += PART_SIZE) {
            MessageDigest part = MessageDigest.getInstance("SHA-256");
            part.update(bytes, (int) start, (int) Math.min(PART_SIZE, bytes.length - start));
            digests.add(part.digest());
        }
        digests.forEach(parts::update);
        return Base64.getEncoder().encodeToString(parts.digest()) + "-" + digests.size();
    }
}
