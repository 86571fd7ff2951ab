package com.supportress.incident;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmfDocument;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.RecordedMetrics;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SentMail;
import com.supportress.emulator.StalledEndpoint;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.http.ServerError;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: incident intake against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per test. */
@Tag("emulator")
class IncidentIntakeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 3;
    private static final ScheduleEvent TICK = SampleEvents.load("incident-intake/notification-retry.json", ScheduleEvent.class);

    private EmulatedStack stack;
    private MutableClock clock;
    private IncidentIntakeHandler handler;
    private RecordedMetrics metrics;
    private String securityTeam;

    @BeforeEach
    void standUpStack() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        securityTeam = "security-" + suffix + "@supportress.example";
        stack = EmulatedStack.create(Map.of(
                "SecurityTeamEmail", securityTeam,
                "SenderEmail", "no-reply-" + suffix + "@supportress.example",
                "ReportsPerSourcePerHour", Integer.toString(LIMIT)));
        clock = new MutableClock(Instant.now());
        metrics = new RecordedMetrics(stack, "IncidentIntakeFunction", clock);
        handler = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock, metrics.metrics()));
    }

    @AfterEach
    void closeHandler() {
        handler.close();
    }

    @Test
    void validReportIsStoredMailedToTeamAndAcknowledged() throws Exception {
        String reporter = uniqueReporter();
        APIGatewayV2HTTPResponse response = post(validBody(reporter), "198.51.100.1");

        assertEquals(201, response.getStatusCode());
        JsonNode receipt = JSON.readTree(response.getBody());
        String id = receipt.get("id").asText();
        assertTrue(id.matches("inc_[a-z2-7]{32}"), id);
        assertEquals("received", receipt.get("status").asText());
        assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(), receipt.get("receivedAt").asText());

        Map<String, AttributeValue> item = storedReport(id);
        assertEquals(reporter, item.get("reporterEmail").s());
        assertEquals("exploit", item.get("category").s());
        assertEquals("https://app.supportress.example/inbox", item.get("affectedUrl").s());
        assertEquals("sent", item.get("notificationStatus").s());
        assertFalse(item.containsKey("notificationPending"));
        assertFalse(item.containsKey("unknownField"), "unknown fields are ignored, not stored");

        List<SentMail.Message> teamMail = SentMail.to(securityTeam);
        assertEquals(1, teamMail.size());
        String teamBody = teamMail.get(0).body();
        for (String field : List.of(id, reporter, "Alex Reporter", "exploit", "acme-corp", "https://app.supportress.example/inbox",
                "2026-11-24T18:30:00Z", "Stored XSS in ticket subject", "Steps to reproduce", "198.51.100.1")) {
            assertTrue(teamBody.contains(field), "team mail lacks " + field);
        }
        List<SentMail.Message> acknowledgement = SentMail.to(reporter);
        assertEquals(1, acknowledgement.size());
        assertTrue(acknowledgement.get(0).body().contains(id));
        assertTrue(acknowledgement.get(0).subject().contains(id));
        assertFalse(acknowledgement.get(0).body().contains("Stored XSS"), "the acknowledgement repeats none of the reporter's text");
    }

    @Test
    void sampleValidEventFromEventsFolderIsAccepted() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.sample("incident-intake/valid.json"), null);
        assertEquals(201, response.getStatusCode());
        assertEquals(1, reportCount());
    }

    @Test
    void invalidReportNamesEveryInvalidFieldAndKeepsNothing() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.sample("incident-intake/invalid.json"), null);

        assertEquals(400, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        JsonNode body = JSON.readTree(response.getBody());
        assertEquals("https://supportress.example/problems/invalid-fields", body.get("type").asText());
        assertEquals(400, body.get("status").asInt());
        assertNotNull(body.get("title"));
        assertNotNull(body.get("detail"));
        Set<String> fields = new HashSet<>();
        body.get("fields").forEach(field -> fields.add(field.get("field").asText()));
        assertEquals(Set.of("reporterEmail", "category", "summary", "description", "affectedUrl", "occurredAt"), fields);
        assertEquals(0, reportCount());
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    @Test
    void summaryOverTwoHundredCharactersAndDescriptionOverTwentyThousandAreRejected() throws Exception {
        ObjectNode body = validBody(uniqueReporter());
        body.put("summary", "s".repeat(201));
        body.put("description", "d".repeat(20_001));
        APIGatewayV2HTTPResponse response = post(body, "198.51.100.2");

        assertEquals(400, response.getStatusCode());
        assertEquals(Set.of("summary", "description"), fieldNames(response));
        assertEquals(0, reportCount());
    }

    @Test
    void lineBreaksInSingleLineFieldsCannotInjectMailHeaders() throws Exception {
        ObjectNode body = validBody(uniqueReporter());
        body.put("summary", "Hello\r\nBcc: victim@example.com");
        body.put("reporterName", "Eve\nTo: victim@example.com");
        APIGatewayV2HTTPResponse response = post(body, "198.51.100.3");

        assertEquals(400, response.getStatusCode());
        assertEquals(Set.of("summary", "reporterName"), fieldNames(response));
        assertTrue(SentMail.to("victim@example.com").isEmpty());
    }

    @Test
    void bodyOverSixtyFourKibIsRejectedWith413() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.sample("incident-intake/oversize.json"), null);
        assertEquals(413, response.getStatusCode());
        assertTrue(response.getBody().contains("65536"));
        assertEquals(0, reportCount());
    }

    @Test
    void nonJsonBodyIsRejectedWith415AndMalformedJsonWith400() {
        APIGatewayV2HTTPResponse notJson = handler.handleRequest(HttpEvents.sample("incident-intake/not-json.json"), null);
        assertEquals(415, notJson.getStatusCode());
        assertTrue(notJson.getBody().contains("application/json"));

        APIGatewayV2HTTPResponse malformed = handler.handleRequest(HttpEvents.sample("incident-intake/malformed-json.json"), null);
        assertEquals(400, malformed.getStatusCode());
        assertTrue(malformed.getBody().contains("not valid JSON"));
        assertEquals(0, reportCount());
    }

    @Test
    void wrongMethodIsRejectedWith405NamingTheAllowedOne() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.sample("incident-intake/wrong-method.json"), null);
        assertEquals(405, response.getStatusCode());
        assertEquals("POST", response.getHeaders().get("allow"));
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertTrue(response.getBody().contains("\"status\":405"));
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstResponseAndCreatesNothingNew() throws Exception {
        String reporter = uniqueReporter();
        ObjectNode body = validBody(reporter);
        APIGatewayV2HTTPResponse first = post(body, "198.51.100.4", "key-" + UUID.randomUUID());
        String key = "key-" + UUID.randomUUID();
        APIGatewayV2HTTPResponse original = post(body, "198.51.100.4", key);
        clock.advance(Duration.ofHours(23));
        APIGatewayV2HTTPResponse repeat = post(body, "198.51.100.4", key);

        assertEquals(201, first.getStatusCode());
        assertEquals(201, repeat.getStatusCode());
        assertEquals(original.getBody(), repeat.getBody());
        assertEquals("true", repeat.getHeaders().get("idempotent-replayed"));
        assertEquals(2, reportCount());
        assertEquals(2, SentMail.to(reporter).size(), "one acknowledgement per report, none for the replay");
    }

    @Test
    void idempotencyKeyExpiresAfterTwentyFourHours() throws Exception {
        ObjectNode body = validBody(uniqueReporter());
        String key = "key-" + UUID.randomUUID();
        APIGatewayV2HTTPResponse original = post(body, "198.51.100.5", key);
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        APIGatewayV2HTTPResponse later = post(body, "198.51.100.5", key);

        assertEquals(201, later.getStatusCode());
        assertFalse(original.getBody().equals(later.getBody()));
        assertEquals(2, reportCount());
    }

    @Test
    void idempotencyKeyReusedWithAnotherBodyIsRejectedWith422() throws Exception {
        String key = "key-" + UUID.randomUUID();
        post(validBody(uniqueReporter()), "198.51.100.6", key);
        APIGatewayV2HTTPResponse reused = post(validBody(uniqueReporter()), "198.51.100.6", key);

        assertEquals(422, reused.getStatusCode());
        assertEquals(1, reportCount());
    }

    /**
     * Twenty identical requests with one Idempotency-Key at once, as a client retrying through a flaky network
     * sends them: one report, one pair of mails, one rate slot, and every caller gets the first receipt. A real
     * race: the requests run in parallel threads against the emulator, which must isolate DynamoDB transactions.
     */
    @Test
    void twentyParallelRequestsWithOneIdempotencyKeyStoreOneReportAndAllGetItsReceipt() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        String reporter = uniqueReporter();
        APIGatewayV2HTTPEvent request = event(validBody(reporter), "192.0.2.70", "key-" + UUID.randomUUID());

        List<APIGatewayV2HTTPResponse> responses = inParallel(20, n -> handler.handleRequest(request, null));

        assertEquals(List.of(201), responses.stream().map(APIGatewayV2HTTPResponse::getStatusCode).distinct().toList());
        assertEquals(1, responses.stream().map(APIGatewayV2HTTPResponse::getBody).distinct().count(), "one receipt for all");
        assertEquals(19, responses.stream().filter(response -> "true".equals(response.getHeaders().get("idempotent-replayed"))).count());
        assertEquals(1, reportCount());
        assertEquals(1, SentMail.to(reporter).size());
        assertEquals(1, SentMail.to(securityTeam).size());
        for (int i = 1; i < LIMIT; i++) {
            assertEquals(201, post(validBody(uniqueReporter()), "192.0.2.70").getStatusCode(), "the replays used no rate slot");
        }
        assertEquals(429, post(validBody(uniqueReporter()), "192.0.2.70").getStatusCode());
    }

    /** A burst of twenty different reports from one source at once: exactly the hourly limit is stored, the rest get 429. */
    @Test
    void parallelBurstFromOneSourceStoresExactlyTheLimit() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        List<APIGatewayV2HTTPEvent> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(event(validBody(uniqueReporter()), "192.0.2.71", null));
        }

        List<APIGatewayV2HTTPResponse> responses = inParallel(requests.size(), n -> handler.handleRequest(requests.get(n), null));

        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(APIGatewayV2HTTPResponse::getStatusCode, Collectors.counting()));
        assertEquals(Map.of(201, (long) LIMIT, 429, 20L - LIMIT), statuses);
        assertEquals(LIMIT, reportCount());
    }

    /** Runs the call n times at once, each in its own thread, released together. */
    private static <T> List<T> inParallel(int n, IntFunction<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> values = new ArrayList<>();
            for (Future<T> result : results) {
                values.add(result.get());
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sourceOverTheHourlyLimitGets429WithRetryAfterUntilTheNextHour() throws Exception {
        clock = new MutableClock(Instant.parse("2026-11-24T18:15:00Z"));
        handler.close();
        handler = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock));
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(201, post(validBody(uniqueReporter()), "192.0.2.50").getStatusCode());
        }
        APIGatewayV2HTTPResponse limited = post(validBody(uniqueReporter()), "192.0.2.50");
        APIGatewayV2HTTPResponse otherSource = post(validBody(uniqueReporter()), "192.0.2.51");

        assertEquals(429, limited.getStatusCode());
        assertEquals("2700", limited.getHeaders().get("retry-after"));
        assertEquals(201, otherSource.getStatusCode());
        assertEquals(LIMIT + 1, reportCount());

        clock.advance(Duration.ofMinutes(46));
        assertEquals(201, post(validBody(uniqueReporter()), "192.0.2.50").getStatusCode());
    }

    @Test
    void rateLimitHoldsAcrossHandlerInstances() throws Exception {
        try (IncidentIntakeHandler second = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock))) {
            for (int i = 0; i < LIMIT; i++) {
                IncidentIntakeHandler instance = i % 2 == 0 ? handler : second;
                assertEquals(201, instance.handleRequest(event(validBody(uniqueReporter()), "192.0.2.60", null), null).getStatusCode());
            }
            assertEquals(429, second.handleRequest(event(validBody(uniqueReporter()), "192.0.2.60", null), null).getStatusCode());
        }
    }

    @Test
    void reportIsKeptAndMailRetriedWhenSesFails() throws Exception {
        String sender = stack.parameter("SenderEmail");
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(sender));
        String reporter = uniqueReporter();

        APIGatewayV2HTTPResponse response = post(validBody(reporter), "198.51.100.8");

        assertEquals(201, response.getStatusCode());
        String id = JSON.readTree(response.getBody()).get("id").asText();
        Map<String, AttributeValue> pending = storedReport(id);
        assertEquals("pending", pending.get("notificationStatus").s());
        assertTrue(SentMail.to(securityTeam).isEmpty());

        try (IncidentNotificationRetryHandler retry = new IncidentNotificationRetryHandler(stack.start("IncidentNotificationRetryFunction", clock))) {
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 0), retry.handleRequest(TICK, null),
                    "a report younger than the grace period is left to its own request");

            clock.advance(IncidentService.RETRY_GRACE.plusSeconds(1));
            assertEquals(new IncidentService.RetryResult(1, 0, 1, 0), retry.handleRequest(TICK, null),
                    "a refused mail stays owed and the round ends normally");
            assertTrue(SentMail.to(securityTeam).isEmpty());

            stack.ses().createEmailIdentity(r -> r.emailIdentity(sender));
            assertEquals(new IncidentService.RetryResult(1, 1, 0, 0), retry.handleRequest(TICK, null));
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 0), retry.handleRequest(TICK, null));
        }
        assertEquals("sent", storedReport(id).get("notificationStatus").s());
        assertEquals(1, SentMail.to(securityTeam).size());
        assertEquals(1, SentMail.to(reporter).size());
    }

    @Test
    void storedReportsAndFinishedMailsAreCountedAsEmfByThePathThatFinishedThem() throws Exception {
        post(validBody(uniqueReporter()), "198.51.100.20");
        post(validBody(uniqueReporter()), "198.51.100.21");
        post(JSON.createObjectNode().put("reporterEmail", "nope"), "198.51.100.22");
        String sender = stack.parameter("SenderEmail");
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(sender));
        post(validBody(uniqueReporter()), "198.51.100.23");

        assertEquals(3, metrics.sum(IncidentService.RECEIVED_METRIC, Map.of()), "every stored report, and no refused one");
        assertEquals(2, metrics.sum(IncidentService.MAILED_METRIC, Map.of("Path", "request")));

        stack.ses().createEmailIdentity(r -> r.emailIdentity(sender));
        clock.advance(IncidentService.RETRY_GRACE.plusSeconds(1));
        RecordedMetrics retryMetrics = new RecordedMetrics(stack, "IncidentNotificationRetryFunction", clock);
        try (IncidentNotificationRetryHandler retry = new IncidentNotificationRetryHandler(
                stack.start("IncidentNotificationRetryFunction", clock, retryMetrics.metrics()))) {
            retry.handleRequest(TICK, null);
        }
        assertEquals(1, retryMetrics.sum(IncidentService.MAILED_METRIC, Map.of("Path", "retry")));
        assertEquals(stack.environment("IncidentIntakeFunction").require("METRICS_NAMESPACE"), metrics.documents().getFirst().namespace());
    }

    @Test
    void notificationRetryPrimingReadsAndWritesNothing() {
        try (IncidentNotificationRetryHandler retry = new IncidentNotificationRetryHandler(stack.start("IncidentNotificationRetryFunction", clock))) {
            assertTrue(retry.priming().prime());
        }
        assertEquals(0, reportCount());
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    @Test
    void retrySendsOnlyTheMailStillOwed() throws Exception {
        String sender = stack.parameter("SenderEmail");
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(sender));
        String reporter = uniqueReporter();
        String id = JSON.readTree(post(validBody(reporter), "198.51.100.9").getBody()).get("id").asText();
        // As if the team mail had gone out before SES started refusing: only the acknowledgement is owed.
        handler.getApplicationContext().getBean(IncidentStore.class).markTeamNotified(id, clock.instant());
        stack.ses().createEmailIdentity(r -> r.emailIdentity(sender));
        clock.advance(IncidentService.RETRY_GRACE.plusSeconds(1));

        try (IncidentNotificationRetryHandler retry = new IncidentNotificationRetryHandler(stack.start("IncidentNotificationRetryFunction", clock))) {
            assertEquals(new IncidentService.RetryResult(1, 1, 0, 0), retry.handleRequest(TICK, null));
        }
        assertTrue(SentMail.to(securityTeam).isEmpty(), "the team mail is not sent twice");
        assertEquals(1, SentMail.to(reporter).size());
        assertEquals("sent", storedReport(id).get("notificationStatus").s());
    }

    @Test
    void mailSesKeepsRefusingIsGivenUpAfterTheAttemptLimitAndCountedOnce() throws Exception {
        restartWith(Map.of("NotificationMaxAttempts", "3"));
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(stack.parameter("SenderEmail")));
        String id = JSON.readTree(post(validBody(uniqueReporter()), "198.51.100.10").getBody()).get("id").asText();
        RecordedMetrics metrics = new RecordedMetrics(stack, "IncidentNotificationRetryFunction", clock);
        clock.advance(IncidentService.RETRY_GRACE.plusSeconds(1));

        try (IncidentNotificationRetryHandler retry = retryHandler(metrics)) {
            assertEquals(new IncidentService.RetryResult(1, 0, 1, 0), retry.handleRequest(TICK, null), "attempt 2 of 3");
            assertEquals(new IncidentService.RetryResult(1, 0, 1, 0), retry.handleRequest(TICK, null), "attempt 3 of 3");
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 1), retry.handleRequest(TICK, null), "no fourth attempt");
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 0), retry.handleRequest(TICK, null), "nothing left to give up");
        }
        try (IncidentNotificationRetryHandler another = retryHandler(metrics)) {
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 0), another.handleRequest(TICK, null));
        }

        Map<String, AttributeValue> item = storedReport(id);
        assertEquals("notification_failed", item.get("notificationStatus").s());
        assertEquals("3", item.get("notificationAttempts").n());
        assertFalse(item.containsKey("notificationPending"), "out of the retry schedule's index");
        List<EmfDocument> counted = metrics.documents();
        assertEquals(1, counted.size(), "one data point for one report, whatever the number of runs: " + counted);
        assertEquals(1, counted.get(0).value(IncidentService.FAILED_METRIC, Map.of()).orElseThrow());
        assertEquals(id, counted.get(0).root().get("incidentId").asText());
        assertEquals("Supportress/" + stack.stackName() + "/Incidents", counted.get(0).namespace(), "the namespace the alarm watches");
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    @Test
    void mailOlderThanTheAgeLimitIsGivenUpWhateverItsAttempts() throws Exception {
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(stack.parameter("SenderEmail")));
        String id = JSON.readTree(post(validBody(uniqueReporter()), "198.51.100.11").getBody()).get("id").asText();
        RecordedMetrics metrics = new RecordedMetrics(stack, "IncidentNotificationRetryFunction", clock);
        clock.advance(Duration.ofHours(24).plusMinutes(1));

        try (IncidentNotificationRetryHandler retry = retryHandler(metrics)) {
            assertEquals(new IncidentService.RetryResult(0, 0, 0, 1), retry.handleRequest(TICK, null));
        }
        assertEquals("notification_failed", storedReport(id).get("notificationStatus").s());
        assertEquals("1", storedReport(id).get("notificationAttempts").n());
        assertEquals(1, metrics.sum(IncidentService.FAILED_METRIC, Map.of()));
    }

    /** SES accepts the connection and never answers: the report is stored and its 201 comes back in time, mail owed. */
    @Test
    void stalledSesAfterTheReportIsStoredCannotDelayTheAnswer() throws Exception {
        try (StalledEndpoint ses = new StalledEndpoint(); IncidentIntakeHandler stalled = handlerWith("AWS_ENDPOINT_URL_SESV2", ses)) {
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse response = stalled.handleRequest(event(validBody(uniqueReporter()), "198.51.100.12", null), null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(201, response.getStatusCode(), response.getBody());
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered after " + took);
            assertTrue(ses.connections() >= 1, "the mail was attempted");
            String id = JSON.readTree(response.getBody()).get("id").asText();
            assertEquals("pending", storedReport(id).get("notificationStatus").s(), "owed to the retry schedule");
        }
    }

    /** DynamoDB hangs before anything is stored: 503 with Retry-After and a problem detail, well before API Gateway's 29 s. */
    @Test
    void stalledTableAnswers503WithRetryAfterInTime() throws Exception {
        try (StalledEndpoint dynamoDb = new StalledEndpoint(); IncidentIntakeHandler stalled = handlerWith("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb)) {
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse response = stalled.handleRequest(event(validBody(uniqueReporter()), "198.51.100.13", null), null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(503, response.getStatusCode(), response.getBody());
            assertEquals(String.valueOf(ServerError.RETRY_AFTER_SECONDS), response.getHeaders().get("retry-after"));
            assertEquals("application/problem+json", response.getHeaders().get("content-type"));
            assertEquals(503, JSON.readTree(response.getBody()).get("status").asInt());
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered after " + took);
        }
        assertEquals(0, reportCount());
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    @Test
    void securityTxtFollowsRfc9116() {
        clock = new MutableClock(Instant.parse("2026-11-24T18:30:00Z"));
        handler.close();
        handler = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock));
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpEvents.sample("incident-intake/security-txt.json"), null);

        assertEquals(200, response.getStatusCode());
        assertEquals("text/plain; charset=utf-8", response.getHeaders().get("content-type"));
        String text = response.getBody();
        assertTrue(text.contains("Contact: https://api.supportress.example/report\nContact: https://api.supportress.example/incidents\n"), text);
        assertTrue(text.contains("Contact: mailto:" + securityTeam + "\n"), text);
        assertTrue(text.contains("Expires: 2027-05-23T18:30:00Z\n"), "180 days ahead by default: " + text);
        assertTrue(text.contains("Preferred-Languages: en\n"), text);
        assertTrue(text.contains("Policy: https://supportress.example/security\n"), text);
    }

    @Test
    void noClientInputGetsAServerError() {
        List<String> bodies = List.of("", "null", "[]", "\"text\"", "1", "{\"reporterEmail\":{}}", "{\"summary\":[1,2]}",
                "{\"reporterEmail\":\"a@b.co\",\"category\":\"other\",\"summary\":\"x\",\"description\":\"y\",\"occurredAt\":123}",
                "{\"description\":\"\\u0000\"}", "\uFFFF\uFFFE", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        for (String body : bodies) {
            APIGatewayV2HTTPEvent event = HttpEvents.withBody(HttpEvents.sample("incident-intake/valid.json"), body);
            int status = handler.handleRequest(event, null).getStatusCode();
            assertTrue(status >= 400 && status < 500, "body " + body.substring(0, Math.min(40, body.length())) + " gave " + status);
        }
        assertEquals(0, reportCount());
    }

    @Test
    void snapStartPrimingExercisesTheHotPathAndStoresNothing() {
        assertTrue(handler.priming().prime());
        assertEquals(0, reportCount());
        assertEquals(0, stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IntakeControlTable"))).count());
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    @Test
    void unpairedSurrogateEscapeIsA400BeforeAnyAwsCallNotA500AfterNineAttempts() throws Exception {
        String body = validBody(uniqueReporter()).toString().replace("Stored XSS", "Stored \\ud800 XSS");
        assertNothingStoredAfter(400, handler.handleRequest(HttpEvents.withBody(HttpEvents.sample("incident-intake/valid.json"), body), null));
    }

    @Test
    void jsonFollowedByMoreDataIsA400() throws Exception {
        for (String trailing : new String[] {"xyz", "{}", " 1"}) {
            String body = validBody(uniqueReporter()) + trailing;
            assertNothingStoredAfter(400, handler.handleRequest(HttpEvents.withBody(HttpEvents.sample("incident-intake/valid.json"), body), null));
        }
    }

    @Test
    void unicodeLineAndParagraphSeparatorsAndNextLineAreRefusedInOneLineFields() throws Exception {
        for (String separator : new String[] {"\u2028", "\u2029", "\u0085", "\u202e"}) {
            ObjectNode body = validBody(uniqueReporter());
            body.put("summary", "first" + separator + "Bcc: victim@example.org");
            body.put("reporterName", "Al" + separator + "ex");
            body.put("affectedAccount", "acme" + separator + "corp");
            APIGatewayV2HTTPResponse response = post(body, "198.51.100.9");
            assertNothingStoredAfter(400, response);
            assertEquals(Set.of("summary", "reporterName", "affectedAccount"), fieldNames(response));
        }
    }

    @Test
    void contentTypeWithSpaceBeforeItsParametersIsAcceptedAsRfc9110Allows() {
        APIGatewayV2HTTPEvent event = HttpEvents.withHeader(HttpEvents.sample("incident-intake/valid.json"), "content-type", "application/json ; charset=UTF-8");
        assertEquals(201, handler.handleRequest(event, null).getStatusCode());
        APIGatewayV2HTTPEvent jsonx = HttpEvents.withHeader(HttpEvents.sample("incident-intake/valid.json"), "content-type", "application/jsonx");
        assertEquals(415, handler.handleRequest(jsonx, null).getStatusCode());
    }

    private void assertNothingStoredAfter(int status, APIGatewayV2HTTPResponse response) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertEquals(0, reportCount());
        assertTrue(SentMail.to(securityTeam).isEmpty());
    }

    private void restartWith(Map<String, String> parameters) {
        handler.close();
        Map<String, String> all = new HashMap<>(Map.of(
                "SecurityTeamEmail", securityTeam,
                "SenderEmail", "no-reply-" + UUID.randomUUID().toString().substring(0, 8) + "@supportress.example",
                "ReportsPerSourcePerHour", Integer.toString(LIMIT)));
        all.putAll(parameters);
        stack = EmulatedStack.create(all);
        handler = new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock));
    }

    /** The retry function as deployed, its metric lines captured instead of printed. */
    private IncidentNotificationRetryHandler retryHandler(RecordedMetrics metrics) {
        return new IncidentNotificationRetryHandler(stack.start("IncidentNotificationRetryFunction", clock, metrics.metrics()));
    }

    /** The intake function with one service's endpoint (e.g. AWS_ENDPOINT_URL_SESV2) pointed at a stalled one. */
    private IncidentIntakeHandler handlerWith(String endpointVariable, StalledEndpoint stalled) {
        Map<String, String> environment = new HashMap<>(stack.environment("IncidentIntakeFunction").variables());
        environment.put(endpointVariable, stalled.endpoint().toString());
        return new IncidentIntakeHandler(FunctionApplication.builder(FunctionEnvironment.of(environment)).singletons(clock).start());
    }

    private APIGatewayV2HTTPResponse post(JsonNode body, String sourceIp) {
        return post(body, sourceIp, null);
    }

    private APIGatewayV2HTTPResponse post(JsonNode body, String sourceIp, String idempotencyKey) {
        return handler.handleRequest(event(body, sourceIp, idempotencyKey), null);
    }

    private static APIGatewayV2HTTPEvent event(JsonNode body, String sourceIp, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = HttpEvents.withSourceIp(HttpEvents.withBody(HttpEvents.sample("incident-intake/valid.json"), body.toString()), sourceIp);
        return idempotencyKey == null ? event : HttpEvents.withHeader(event, "Idempotency-Key", idempotencyKey);
    }

    private static ObjectNode validBody(String reporter) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(HttpEvents.sample("incident-intake/valid.json").getBody());
        body.put("reporterEmail", reporter);
        return body;
    }

    private static String uniqueReporter() {
        return "reporter-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
    }

    private static Set<String> fieldNames(APIGatewayV2HTTPResponse response) throws Exception {
        Set<String> fields = new HashSet<>();
        JSON.readTree(response.getBody()).get("fields").forEach(field -> fields.add(field.get("field").asText()));
        return fields;
    }

    private Map<String, AttributeValue> storedReport(String id) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("IncidentReportsTable"))
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }

    private int reportCount() {
        return stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IncidentReportsTable"))).count();
    }
}
