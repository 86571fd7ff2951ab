package com.supportress.incident;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SentMail;
import com.supportress.shared.schedule.ScheduleEvent;
import com.supportress.shared.http.ClientErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: the security-response workflow against the emulator (moto unless AWS_ENDPOINT_URL is set), one
 * fresh stack per test: the follow-up token, the reporter's follow-up routes, every status move, replies and notes,
 * the audit trail, and the timers (first-response alarm, owed mails, minimisation).
 */
class IncidentResponseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEAM_MEMBER = "analyst@supportress.example";
    private static final ScheduleEvent TICK = SampleEvents.load("incident-intake/timers-schedule.json", ScheduleEvent.class);

    private EmulatedStack stack;
    private MutableClock clock;
    private IncidentIntakeHandler intake;
    private IncidentFollowUpHandler followUp;
    private TriageService triage;
    private IncidentTimersHandler timers;
    private String securityTeam;
    private final List<AutoCloseable> handlers = new ArrayList<>();

    @BeforeEach
    void standUpStack() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        securityTeam = "security-" + suffix + "@supportress.example";
        stack = EmulatedStack.create(Map.of(
                "SecurityTeamEmail", securityTeam,
                "SenderEmail", "no-reply-" + suffix + "@supportress.example",
                "FollowUpRequestsPerSourcePerHour", "8",
                "FirstResponseHours", "24",
                "ReporterDataRetentionDays", "30"));
        clock = new MutableClock(Instant.parse("2026-11-24T18:15:00Z"));
        intake = started(new IncidentIntakeHandler(stack.start("IncidentIntakeFunction", clock)));
        followUp = started(new IncidentFollowUpHandler(stack.start("IncidentFollowUpFunction", clock)));
        IncidentTriageContext triageContext = started(new IncidentTriageContext(stack.start("IncidentTriageFunction", clock)));
        triage = triageContext.context().getBean(TriageService.class);
        timers = started(new IncidentTimersHandler(stack.start("IncidentTimersFunction", clock)));
    }

    /** The triage function's context alone: its HTTP routes are tested with real tokens in IncidentTriageApiIT. */
    private record IncidentTriageContext(io.micronaut.context.ApplicationContext context) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }

    private <T extends AutoCloseable> T started(T handler) {
        handlers.add(handler);
        return handler;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable handler : handlers) {
            handler.close();
        }
    }

    // ------------------------------------------------------------------ the follow-up token

    @Test
    void receiptCarriesAFollowUpTokenThatIsStoredOnlyAsItsHash() throws Exception {
        Filed filed = file("198.51.100.10", Optional.of("key-" + UUID.randomUUID()));

        assertTrue(filed.token().matches("fut_[a-z2-7]{32}"), filed.token());
        Map<String, AttributeValue> report = reportItem(filed.id());
        assertEquals(FollowUpTokens.hash(filed.token()), report.get("followUpTokenHash").s());
        for (String table : List.of("IncidentReportsTable", "IntakeControlTable", "IncidentActivityTable")) {
            String everything = stack.dynamoDb().scan(r -> r.tableName(stack.physicalName(table))).items().toString();
            assertFalse(everything.contains(filed.token()), table + " holds the token in the clear");
        }
    }

    @Test
    void replayWithTheSameIdempotencyKeyAnswersTheSameTokenAndFilesNothingNew() throws Exception {
        String key = "key-" + UUID.randomUUID();
        ObjectNode body = validBody();
        APIGatewayV2HTTPResponse first = intake.handleRequest(intakeEvent(body, "198.51.100.11", key), null);
        APIGatewayV2HTTPResponse replay = intake.handleRequest(intakeEvent(body, "198.51.100.11", key), null);

        assertEquals(201, replay.getStatusCode());
        assertEquals("true", replay.getHeaders().get("idempotent-replayed"));
        assertEquals(JSON.readTree(first.getBody()), JSON.readTree(replay.getBody()));
        String token = JSON.readTree(replay.getBody()).get("followUpToken").asText();
        assertEquals(200, get(JSON.readTree(first.getBody()).get("id").asText(), token, "198.51.100.11").getStatusCode());
        assertEquals(1, stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IncidentReportsTable"))).count());
    }

    @Test
    void tokenComparisonAcceptsOnlyTheExactToken() {
        String token = FollowUpTokens.newToken();
        Optional<String> hash = Optional.of(FollowUpTokens.hash(token));
        assertTrue(FollowUpTokens.matches(Optional.of(token), hash));
        assertFalse(FollowUpTokens.matches(Optional.of(FollowUpTokens.newToken()), hash));
        assertFalse(FollowUpTokens.matches(Optional.of(token.toUpperCase()), hash));
        assertFalse(FollowUpTokens.matches(Optional.empty(), hash));
        assertFalse(FollowUpTokens.matches(Optional.of(token), Optional.empty()));
    }

    @Test
    void wrongMissingOrMalformedTokenAnswersExactlyLikeAnUnknownId() throws Exception {
        Filed filed = file("198.51.100.12", Optional.empty());
        APIGatewayV2HTTPResponse unknown = get("inc_" + "a".repeat(32), filed.token(), "198.51.100.12");
        List<APIGatewayV2HTTPResponse> refused = List.of(
                get(filed.id(), FollowUpTokens.newToken(), "198.51.100.12"),
                followUp.handleRequest(HttpEvents.request("GET", "/incidents/" + filed.id(), Map.of(), new byte[0], "198.51.100.12"), null),
                get(filed.id(), "not-a-token", "198.51.100.12"),
                post(filed.id() + "/messages", FollowUpTokens.newToken(), "{\"text\":\"hello\"}", "198.51.100.12"));

        assertEquals(404, unknown.getStatusCode());
        for (APIGatewayV2HTTPResponse response : refused) {
            assertEquals(unknown.getStatusCode(), response.getStatusCode());
            assertEquals(withoutRequestId(unknown.getBody()), withoutRequestId(response.getBody()), "the same problem, but for its request's id");
            assertEquals(unknown.getHeaders(), response.getHeaders());
        }
        assertEquals(0, threadCount(filed.id()), "nothing was added with a wrong token");
    }

    @Test
    void followUpRequestsAreRateLimitedPerSourceAndARefusedOneStoresNothing() throws Exception {
        Filed filed = file("198.51.100.13", Optional.empty());
        String control = stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IntakeControlTable"))).items().toString();
        assertEquals(404, get("inc_" + "b".repeat(32), filed.token(), "203.0.113.9").getStatusCode());
        assertEquals(404, get(filed.id(), FollowUpTokens.newToken(), "203.0.113.9").getStatusCode());
        assertEquals(control, stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("IntakeControlTable"))).items().toString(),
                "a refused request takes no slot");
        for (int i = 0; i < 7; i++) {
            assertEquals(200, get(filed.id(), filed.token(), "203.0.113.9").getStatusCode(), "request " + i);
        }
        assertEquals(201, post(filed.id() + "/messages", filed.token(), "{\"text\":\"the eighth request\"}", "203.0.113.9").getStatusCode());
        assertEquals(429, post(filed.id() + "/messages", filed.token(), "{\"text\":\"the ninth\"}", "203.0.113.9").getStatusCode());
        assertEquals(1, threadCount(filed.id()), "the limited message was not stored");
        APIGatewayV2HTTPResponse limited = get(filed.id(), filed.token(), "203.0.113.9");
        assertEquals(429, limited.getStatusCode());
        assertEquals("2700", limited.getHeaders().get("retry-after"));
        assertEquals(200, get(filed.id(), filed.token(), "203.0.113.10").getStatusCode(), "another source is not limited");
    }

    // ------------------------------------------------------------------ the reporter's thread

    @Test
    void reporterMessageIsMailedToTheTeamAndRepliesReachTheReporterButNotesNever() throws Exception {
        Filed filed = file("198.51.100.14", Optional.empty());
        APIGatewayV2HTTPResponse message = post(filed.id() + "/messages", filed.token(), "{\"text\":\"It also happens on the mobile app.\"}", "198.51.100.14");
        assertEquals(201, message.getStatusCode());
        assertEquals("no-store", message.getHeaders().get("cache-control"));
        List<SentMail.Message> teamMail = SentMail.to(securityTeam);
        assertTrue(teamMail.stream().anyMatch(m -> m.subject().contains("New message from the reporter") && m.body().contains("mobile app")), teamMail.toString());

        triage.reply(filed.id(), "Thanks, we are looking into it.", TEAM_MEMBER);
        triage.note(filed.id(), "Reproduced on staging; CVSS 6.1", TEAM_MEMBER);

        List<SentMail.Message> reporterMail = SentMail.to(filed.reporter());
        assertTrue(reporterMail.stream().anyMatch(m -> m.subject().equals("Reply to your security report " + filed.id())
                && m.body().startsWith("Thanks, we are looking into it.")), reporterMail.toString());
        assertTrue(reporterMail.stream().noneMatch(m -> m.body().contains("CVSS")), "notes are never mailed");
        JsonNode view = JSON.readTree(get(filed.id(), filed.token(), "198.51.100.14").getBody());
        assertEquals(2, view.get("messages").size());
        assertEquals("reporter", view.get("messages").get(0).get("from").asText());
        assertEquals("security-team", view.get("messages").get(1).get("from").asText());
        assertFalse(view.get("messages").get(1).has("by"), "the reporter does not see which team member wrote");
        assertFalse(view.toString().contains("CVSS"), "notes are never shown to the reporter");

        ResponseViews.Case team = triage.show(filed.id());
        assertEquals(List.of("received", "reporter-message", "replied", "noted"), team.events().stream().map(ResponseViews.Event::type).toList());
        assertEquals(TEAM_MEMBER, team.events().get(2).by());
        assertEquals(1, team.notes().size());
        assertEquals(new ResponseViews.Counts(1, 1, 1, 0), team.counts());
    }

    @Test
    void messagesAreRefusedOnceResolvedAndInvalidTextNamesTheField() throws Exception {
        Filed filed = file("198.51.100.15", Optional.empty());
        assertEquals(400, post(filed.id() + "/messages", filed.token(), "{\"text\":\"bell\\u0007\"}", "198.51.100.15").getStatusCode());
        assertEquals(400, post(filed.id() + "/messages", filed.token(), "{\"text\":\"" + "x".repeat(10_001) + "\"}", "198.51.100.15").getStatusCode());
        moveTo(filed.id(), ReportStatus.TRIAGING, ReportStatus.NOT_APPLICABLE, ReportStatus.RESOLVED);

        APIGatewayV2HTTPResponse late = post(filed.id() + "/messages", filed.token(), "{\"text\":\"one more thing\"}", "198.51.100.15");
        assertEquals(409, late.getStatusCode());
        assertEquals(0, threadCount(filed.id()));
        assertEquals("resolved", JSON.readTree(get(filed.id(), filed.token(), "198.51.100.15").getBody()).get("status").asText());
    }

    // ------------------------------------------------------------------ attachments

    @Test
    void attachmentsAreSignedUploadsOfTheReportCappedAtFiveAndOnlyWithTheToken() throws Exception {
        Filed filed = file("198.51.100.24", Optional.empty());
        String body = "{\"fileName\":\"screen.png\",\"contentType\":\"image/png\",\"size\":4096,\"sha256\":\"" + "A".repeat(43) + "=\"}";

        for (int i = 0; i < Attachments.MAX_PER_REPORT; i++) {
            APIGatewayV2HTTPResponse created = post(filed.id() + "/attachments", filed.token(), body, "198.51.100.24");
            assertEquals(201, created.getStatusCode(), created.getBody());
            JsonNode plan = JSON.readTree(created.getBody());
            assertEquals("PUT", plan.get("method").asText());
            assertTrue(plan.get("url").asText().contains("/reports/" + filed.id() + "/" + plan.get("attachmentId").asText()), plan.toString());
            assertTrue(plan.get("headers").has("x-amz-checksum-sha256"), "S3 checks the declared SHA-256: " + plan);
        }
        assertEquals(409, post(filed.id() + "/attachments", filed.token(), body, "198.51.100.24").getStatusCode(), "a sixth");
        assertEquals(404, post(filed.id() + "/attachments", FollowUpTokens.newToken(), body, "198.51.100.24").getStatusCode());
        // Another source: this one has used up its hourly follow-up requests (8 in this stack).
        assertEquals(400, post(filed.id() + "/attachments", filed.token(), body.replace("\"sha256\"", "\"sha\""), "203.0.113.24").getStatusCode());
        assertEquals(400, post(filed.id() + "/attachments", filed.token(), body.replace("4096", "26214401"), "203.0.113.24").getStatusCode());
        JsonNode view = JSON.readTree(get(filed.id(), filed.token(), "203.0.113.24").getBody());
        assertEquals(5, view.get("attachments").size());
        assertEquals("pending", view.get("attachments").get(0).get("status").asText());
        assertEquals(5, triage.show(filed.id()).counts().attachments());
    }

    @Test
    void theTeamDownloadsCheckedAttachmentsAsFilesThroughShortLivedLinks() throws Exception {
        Filed filed = file("198.51.100.25", Optional.empty());
        String sha = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest("log line\n".getBytes()));
        JsonNode plan = JSON.readTree(post(filed.id() + "/attachments", filed.token(),
                "{\"fileName\":\"app log.txt\",\"contentType\":\"text/plain\",\"size\":9,\"sha256\":\"" + sha + "\"}", "198.51.100.25").getBody());
        String uploadId = plan.get("attachmentId").asText();
        assertEquals(null, triage.show(filed.id()).attachments().get(0).downloadUrl(), "no link before the checks passed");

        uploadStore().markStored(uploadId, sha, clock.instant());
        String link = triage.show(filed.id()).attachments().get(0).downloadUrl();
        assertTrue(link.contains("X-Amz-Expires=300"), link);
        assertTrue(link.contains("response-content-disposition=attachment"), link);
        assertFalse(JSON.readTree(get(filed.id(), filed.token(), "198.51.100.25").getBody()).get("attachments").get(0).has("downloadUrl"),
                "the reporter gets no download link");
    }

    // ------------------------------------------------------------------ status moves

    @Test
    void everyAllowedMoveCommitsAndEveryOtherIsAConflict() throws Exception {
        for (ReportStatus from : ReportStatus.values()) {
            for (ReportStatus to : ReportStatus.values()) {
                Filed filed = file("198.51.100.16", Optional.empty());
                clock.advance(Duration.ofMinutes(7)); // a new hour window now and then: the intake limit is per source and hour
                moveTo(filed.id(), pathTo(from).toArray(ReportStatus[]::new));
                if (from.canMoveTo(to)) {
                    ResponseViews.Written moved = triage.changeStatus(filed.id(), to, Optional.of(from), TEAM_MEMBER);
                    assertEquals(to.wireName(), moved.status());
                    ResponseViews.Event last = lastEvent(filed.id());
                    assertEquals(List.of("status-changed", from.wireName(), to.wireName(), TEAM_MEMBER),
                            List.of(last.type(), last.from(), last.to(), last.by()));
                } else {
                    ClientErrorException refused = assertThrows(ClientErrorException.class,
                            () -> triage.changeStatus(filed.id(), to, Optional.of(from), TEAM_MEMBER), from + " -> " + to);
                    assertEquals(409, refused.error().status(), from + " -> " + to);
                    assertEquals(from.wireName(), reportItem(filed.id()).get("status").s());
                }
            }
        }
    }

    @Test
    void moveFromAStatusTheReportNoLongerHasIsAConflict() throws Exception {
        Filed filed = file("198.51.100.17", Optional.empty());
        moveTo(filed.id(), ReportStatus.TRIAGING, ReportStatus.ACCEPTED);
        // Someone else, still looking at "triaging", decides "duplicate".
        ClientErrorException stale = assertThrows(ClientErrorException.class,
                () -> triage.changeStatus(filed.id(), ReportStatus.DUPLICATE, Optional.of(ReportStatus.TRIAGING), TEAM_MEMBER));
        assertEquals(409, stale.error().status());
        assertTrue(stale.getMessage().contains("no longer triaging but accepted"), stale.getMessage());
        assertEquals("accepted", reportItem(filed.id()).get("status").s());
    }

    /** Two people move the same report from triaging at the same moment, to different statuses: one wins, one gets 409. */
    @Test
    void twoConcurrentMovesFromTheSameStatusCommitExactlyOnce() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        for (int round = 0; round < 5; round++) {
            Filed filed = file("198.51.100.18", Optional.empty());
            moveTo(filed.id(), ReportStatus.TRIAGING);
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> outcomes = new ArrayList<>();
                for (ReportStatus to : List.of(ReportStatus.ACCEPTED, ReportStatus.DUPLICATE)) {
                    Callable<Integer> move = () -> {
                        together.await();
                        try {
                            triage.changeStatus(filed.id(), to, Optional.of(ReportStatus.TRIAGING), "person-" + to.wireName());
                            return 200;
                        } catch (ClientErrorException e) {
                            return e.error().status();
                        }
                    };
                    outcomes.add(pool.submit(move));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> outcome : outcomes) {
                    statuses.add(outcome.get());
                }
                statuses.sort(null);
                assertEquals(List.of(200, 409), statuses, "round " + round);
            } finally {
                pool.shutdownNow();
            }
            ResponseViews.Case after = triage.show(filed.id());
            assertEquals(1, after.events().stream().filter(e -> "triaging".equals(e.from())).count(), "one move out of triaging is recorded");
            assertEquals(after.status(), lastEvent(filed.id()).to());
        }
    }

    @Test
    void statusListsArePagedFromTheIndexNewestFirstAndNarrowedByCategory() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode body = validBody();
            body.put("category", i % 2 == 0 ? "exploit" : "abuse");
            ids.add(JSON.readTree(intake.handleRequest(intakeEvent(body, "198.51.100." + (30 + i), null), null).getBody()).get("id").asText());
            clock.advance(Duration.ofSeconds(1));
        }
        List<String> listed = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            Map<String, String> query = new java.util.HashMap<>(Map.of("status", "received", "limit", "2"));
            cursor.ifPresent(c -> query.put("cursor", c));
            ResponseViews.ReportList page = triage.list(TriageQuery.from(query));
            page.reports().forEach(summary -> listed.add(summary.id()));
            cursor = Optional.ofNullable(page.next());
            pages++;
        } while (cursor.isPresent() && pages < 10);
        assertEquals(ids.reversed(), listed);

        List<String> exploits = triage.list(TriageQuery.from(Map.of("status", "received", "category", "exploit", "order", "oldest")))
                .reports().stream().map(ResponseViews.Summary::id).toList();
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(4)), exploits);
        assertEquals(List.of(), triage.list(TriageQuery.from(Map.of("status", "triaging"))).reports());

        ClientErrorException forged = assertThrows(ClientErrorException.class,
                () -> TriageQuery.from(Map.of("status", "received", "cursor", "eyJpZCI6MX0")));
        assertEquals(400, forged.error().status());
        ClientErrorException otherStatus = assertThrows(ClientErrorException.class, () -> TriageQuery.from(Map.of("status", "accepted",
                "cursor", new ListCursor("received", "2026-11-24T18:15:00Z", ids.get(0)).encoded())));
        assertEquals(400, otherStatus.error().status());
    }

    // ------------------------------------------------------------------ timers

    @Test
    void reportWithNoReplyPastTheTargetAlarmsTheOpsTopicOnce() throws Exception {
        String alarms = subscribeQueueToOpsTopic();
        Filed unanswered = file("198.51.100.19", Optional.empty());
        Filed answered = file("198.51.100.20", Optional.empty());
        triage.reply(answered.id(), "On it.", TEAM_MEMBER);

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(0, timers.handleRequest(TICK, null).markedOverdue(), "not yet past the target");
        clock.advance(Duration.ofMinutes(2));
        TimersService.TimersResult first = timers.handleRequest(TICK, null);
        TimersService.TimersResult second = timers.handleRequest(TICK, null);

        assertEquals(1, first.markedOverdue());
        assertEquals(1, first.alarmsPublished());
        assertEquals(0, second.markedOverdue() + second.alarmsPublished(), "once per report");
        List<String> published = receiveAll(alarms);
        assertEquals(1, published.size(), published.toString());
        assertTrue(published.get(0).contains(unanswered.id()));
        assertTrue(published.get(0).contains("no first response within 24 hours"));
        assertEquals("first-response-overdue", lastEvent(unanswered.id()).type());
        triage.reply(unanswered.id(), "Sorry for the wait.", TEAM_MEMBER);
        assertEquals(0, timers.handleRequest(TICK, null).alarmsPublished());
    }

    @Test
    void replyMailSesRefusedIsSentByTheTimersAndOnlyOnce() throws Exception {
        Filed filed = file("198.51.100.21", Optional.empty());
        String sender = stack.parameter("SenderEmail");
        stack.ses().deleteEmailIdentity(r -> r.emailIdentity(sender));
        triage.reply(filed.id(), "We fixed it.", TEAM_MEMBER);
        assertTrue(SentMail.to(filed.reporter()).stream().noneMatch(m -> m.body().contains("We fixed it.")));

        clock.advance(TimersService.MAIL_GRACE.plusSeconds(1));
        assertEquals(1, timers.handleRequest(TICK, null).mailsOwed(), "still refused: stays owed");
        stack.ses().createEmailIdentity(r -> r.emailIdentity(sender));
        assertEquals(1, timers.handleRequest(TICK, null).mailsSettled());
        assertEquals(0, timers.handleRequest(TICK, null).mailsSettled());
        assertEquals(1, SentMail.to(filed.reporter()).stream().filter(m -> m.body().contains("We fixed it.")).count());
    }

    @Test
    void resolvedReportPastRetentionLosesTheReportersDataButKeepsTrailAndCounts() throws Exception {
        Filed filed = file("198.51.100.22", Optional.empty());
        post(filed.id() + "/messages", filed.token(), "{\"text\":\"My phone number is 555-0100.\"}", "198.51.100.22");
        triage.reply(filed.id(), "Thanks Alex, fixed.", TEAM_MEMBER);
        triage.note(filed.id(), "Root cause: missing escaping", TEAM_MEMBER);
        moveTo(filed.id(), ReportStatus.TRIAGING, ReportStatus.ACCEPTED, ReportStatus.RESOLVED);
        Filed open = file("198.51.100.23", Optional.empty());

        clock.advance(Duration.ofDays(29));
        assertEquals(0, timers.handleRequest(TICK, null).minimised(), "not yet past retention");
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertEquals(1, timers.handleRequest(TICK, null).minimised());
        assertEquals(0, timers.handleRequest(TICK, null).minimised(), "idempotent");

        Map<String, AttributeValue> report = reportItem(filed.id());
        for (String personal : ReportCase.PERSONAL_ATTRIBUTES) {
            assertFalse(report.containsKey(personal), personal + " is kept");
        }
        assertTrue(report.containsKey("minimisedAt"));
        assertEquals("resolved", report.get("status").s());
        assertEquals("exploit", report.get("category").s());
        String activity = stack.dynamoDb().query(r -> r.tableName(stack.physicalName("IncidentActivityTable"))
                .keyConditionExpression("reportId = :id").expressionAttributeValues(Map.of(":id", AttributeValue.fromS(filed.id())))).items().toString();
        assertFalse(activity.contains("555-0100"));
        assertFalse(activity.contains("Thanks Alex"));
        ResponseViews.Case team = triage.show(filed.id());
        assertEquals(new ResponseViews.Counts(1, 1, 1, 0), team.counts());
        assertEquals(List.of("received", "reporter-message", "replied", "noted", "status-changed", "status-changed", "status-changed", "minimised"),
                team.events().stream().map(ResponseViews.Event::type).toList());
        assertEquals(null, team.reporter());
        JsonNode view = JSON.readTree(get(filed.id(), filed.token(), "198.51.100.22").getBody());
        assertTrue(view.get("detailsRemoved").asBoolean());
        assertEquals(2, view.get("messages").size());
        assertFalse(view.get("messages").get(0).has("text"));
        ClientErrorException noAddress = assertThrows(ClientErrorException.class, () -> triage.reply(filed.id(), "again", TEAM_MEMBER));
        assertEquals(409, noAddress.error().status());
        assertTrue(reportItem(open.id()).containsKey("reporterEmail"), "an open report keeps its data");
    }

    @Test
    void minimisationDeletesEveryVersionOfTheAttachmentsInBothRegionsAndTheirNames() throws Exception {
        Filed filed = file("198.51.100.26", Optional.empty());
        String body = "{\"fileName\":\"alex-passport.png\",\"contentType\":\"image/png\",\"size\":8,\"sha256\":\"" + "A".repeat(43) + "=\"}";
        String uploadId = JSON.readTree(post(filed.id() + "/attachments", filed.token(), body, "198.51.100.26").getBody()).get("attachmentId").asText();
        String key = "reports/" + filed.id() + "/" + uploadId;
        String bucket = stack.physicalName("UploadBucket");
        String replica = stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
        stack.s3().putObject(r -> r.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("version1"));
        stack.s3().putObject(r -> r.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("version2"));
        stack.s3().putObject(r -> r.bucket(bucket).key("quarantine/" + key), software.amazon.awssdk.core.sync.RequestBody.fromString("q"));
        stack.s3(stack.secondaryRegion()).putObject(r -> r.bucket(replica).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("copy"));
        Filed other = file("198.51.100.27", Optional.empty());
        String otherKey = "reports/" + other.id() + "/upl_" + "0".repeat(40);
        stack.s3().putObject(r -> r.bucket(bucket).key(otherKey), software.amazon.awssdk.core.sync.RequestBody.fromString("kept"));
        moveTo(filed.id(), ReportStatus.TRIAGING, ReportStatus.DUPLICATE, ReportStatus.RESOLVED);

        clock.advance(Duration.ofDays(30).plusMinutes(1));
        assertEquals(1, timers.handleRequest(TICK, null).minimised());

        assertEquals(0, stack.s3().listObjectVersions(r -> r.bucket(bucket).prefix("reports/" + filed.id() + "/")).versions().size());
        assertEquals(0, stack.s3().listObjectVersions(r -> r.bucket(bucket).prefix("quarantine/reports/" + filed.id() + "/")).versions().size());
        assertEquals(0, stack.s3(stack.secondaryRegion()).listObjectVersions(r -> r.bucket(replica).prefix("reports/" + filed.id() + "/")).versions().size());
        assertEquals(1, stack.s3().listObjectVersions(r -> r.bucket(bucket).prefix(otherKey)).versions().size(), "another report's files stay");
        assertEquals(com.supportress.upload.store.UploadStore.REDACTED_FILE_NAME, uploadStore().find(uploadId).orElseThrow().fileName());
        ResponseViews.Attachment attachment = triage.show(filed.id()).attachments().get(0);
        assertEquals(null, attachment.fileName());
        assertEquals(1, triage.show(filed.id()).counts().attachments(), "the count stays");
    }

    // ------------------------------------------------------------------ helpers

    private com.supportress.upload.store.UploadStore uploadStore() {
        return followUp.getApplicationContext().getBean(com.supportress.upload.store.UploadStore.class);
    }


    private record Filed(String id, String token, String reporter) {
    }

    private static JsonNode withoutRequestId(String problem) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(problem);
        body.remove("requestId");
        return body;
    }

    private Filed file(String sourceIp, Optional<String> key) throws Exception {
        ObjectNode body = validBody();
        APIGatewayV2HTTPResponse response = intake.handleRequest(intakeEvent(body, sourceIp, key.orElse(null)), null);
        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode receipt = JSON.readTree(response.getBody());
        return new Filed(receipt.get("id").asText(), receipt.get("followUpToken").asText(), body.get("reporterEmail").asText());
    }

    private void moveTo(String id, ReportStatus... path) {
        for (ReportStatus to : path) {
            triage.changeStatus(id, to, Optional.empty(), TEAM_MEMBER);
        }
    }

    private static List<ReportStatus> pathTo(ReportStatus status) {
        return switch (status) {
            case RECEIVED -> List.of();
            case TRIAGING -> List.of(ReportStatus.TRIAGING);
            case ACCEPTED, DUPLICATE, NOT_APPLICABLE -> List.of(ReportStatus.TRIAGING, status);
            case RESOLVED -> List.of(ReportStatus.TRIAGING, ReportStatus.ACCEPTED, ReportStatus.RESOLVED);
        };
    }

    private ResponseViews.Event lastEvent(String id) {
        List<ResponseViews.Event> events = triage.show(id).events();
        return events.get(events.size() - 1);
    }

    private APIGatewayV2HTTPResponse get(String id, String token, String sourceIp) {
        return followUp.handleRequest(HttpEvents.request("GET", "/incidents/" + id, Map.of("authorization", "Bearer " + token),
                new byte[0], sourceIp), null);
    }

    private APIGatewayV2HTTPResponse post(String path, String token, String body, String sourceIp) {
        return followUp.handleRequest(HttpEvents.request("POST", "/incidents/" + path,
                Map.of("authorization", "Bearer " + token, "content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), sourceIp), null);
    }

    private static APIGatewayV2HTTPEvent intakeEvent(JsonNode body, String sourceIp, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = HttpEvents.withSourceIp(HttpEvents.withBody(HttpEvents.sample("incident-intake/valid.json"), body.toString()), sourceIp);
        return idempotencyKey == null ? event : HttpEvents.withHeader(event, "Idempotency-Key", idempotencyKey);
    }

    private static ObjectNode validBody() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(HttpEvents.sample("incident-intake/valid.json").getBody());
        body.put("reporterEmail", "reporter-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org");
        return body;
    }

    private Map<String, AttributeValue> reportItem(String id) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("IncidentReportsTable"))
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
    }

    private int threadCount(String id) {
        return stack.dynamoDb().query(r -> r.tableName(stack.physicalName("IncidentActivityTable"))
                .keyConditionExpression("reportId = :id AND begins_with(sk, :thread)")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id), ":thread", AttributeValue.fromS("thread#")))).count();
    }

    /** A queue subscribed to the ops topic, as an email subscriber would be: what reaches a person. */
    private String subscribeQueueToOpsTopic() {
        String queueUrl = stack.sqs().createQueue(r -> r.queueName(stack.stackName() + "-ops-inbox")).queueUrl();
        String queueArn = stack.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        stack.sns().subscribe(r -> r.topicArn(stack.environment("IncidentTimersFunction").require("OPS_TOPIC_ARN"))
                .protocol("sqs").endpoint(queueArn));
        return queueUrl;
    }

    private List<String> receiveAll(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var messages = stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            messages.forEach(m -> bodies.add(m.body()));
            messages.forEach(m -> stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
    }
}
