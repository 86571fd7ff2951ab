package com.supportress.incident;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.supportress.shared.aws.AwsCallLimits;
import com.supportress.shared.config.Deadline;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.ids.UnguessableIds;
import com.supportress.shared.log.LogContext;
import com.supportress.shared.metrics.EmbeddedMetrics;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Files incident reports: validated, rate-limited per source, stored before any mail is attempted,
 * then mailed to the security team and the reporter. A mail that fails, or that the request has no time
 * left for, stays owed and is retried by the schedule; the reporter still gets a 201 in time, because the
 * report itself is safe. The schedule gives up on a report after a bounded number of attempts or age:
 * it is marked notification_failed and counted once in the NotificationsFailed metric, which alarms.
 */
@Singleton
public class IncidentService {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);
    // The retry schedule leaves fresh reports alone, so it never races the request still mailing them.
    static final Duration RETRY_GRACE = Duration.ofMinutes(2);
    // API Gateway gives up after 29 s; the request's work ends by 24 s, leaving room for a restore and the answer.
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(24);
    // Business metrics (EMF, namespace METRICS_NAMESPACE): reports stored; reports whose mails are all out, by the path
    // that finished them (the request itself, or the retry schedule); reports whose mail was given up on (it alarms).
    static final String RECEIVED_METRIC = "IncidentsReceived";
    static final String MAILED_METRIC = "IncidentsMailed";
    static final String FAILED_METRIC = "NotificationsFailed";
    // What a call without a configured timeout is assumed to take at most (the HTTP client's socket timeout).
    private static final Duration UNBOUNDED_CALL = Duration.ofSeconds(30);

    /**
     * The 201 body. {@code followUpToken} is the reporter's receipt for GET /incidents/{id} and its messages; it is
     * never stored in the clear, so the idempotency record keeps this body without it.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(String id, String status, String receivedAt, String followUpToken) {

        Receipt withoutToken() {
            return new Receipt(id, status, receivedAt, null);
        }

        Receipt withToken(String token) {
            return new Receipt(id, status, receivedAt, token);
        }
    }

    /** What POST /incidents answers: the receipt, and whether it is a replay of an earlier request. */
    public record Outcome(int status, String body, boolean replayed) {
    }

    /** How one retry round went: reports tried, fully mailed, still owed (tried again next round), given up on. */
    @Serdeable
    public record RetryResult(int attempted, int completed, int stillPending, int givenUp) {
    }

    private final IncidentStore store;
    private final SourceRateLimiter rateLimiter;
    private final IncidentMailer mailer;
    private final IncidentIntakeConfig config;
    private final JsonCodec json;
    private final Clock clock;
    private final EmbeddedMetrics metrics;
    private final Duration mailStep;

    public IncidentService(IncidentStore store, SourceRateLimiter rateLimiter, IncidentMailer mailer,
                           IncidentIntakeConfig config, JsonCodec json, Clock clock, EmbeddedMetrics metrics, AwsCallLimits limits) {
        this.store = store;
        this.rateLimiter = rateLimiter;
        this.mailer = mailer;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        // One mail: SES's call, the update recording it and the report's last update, each bounded by the call limits.
        this.mailStep = limits.callTimeout().orElse(UNBOUNDED_CALL).multipliedBy(3);
    }

    public Outcome file(IncidentSubmission submission, byte[] requestBody, String sourceIp, Optional<String> idempotencyKey) {
        Deadline deadline = Deadline.after(ANSWER_WITHIN);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String fingerprint = IdempotencyRecord.fingerprint(requestBody);
        if (idempotencyKey.isPresent()) {
            Optional<IncidentStore.IdempotentResponse> earlier = store.findIdempotentResponse(idempotencyKey.get(), now);
            if (earlier.isPresent()) {
                return replay(earlier.get(), fingerprint, idempotencyKey.get());
            }
        }
        IncidentReport report = new IncidentReport(newId(), now, submission.reporterEmail(), submission.reporterName(),
                submission.category(), submission.summary(), submission.description(), submission.affectedAccount(),
                submission.affectedUrl(), submission.occurredAt(), sourceIp);
        String token = FollowUpTokens.newToken();
        Receipt receipt = new Receipt(report.id(), ReportStatus.RECEIVED.wireName(), now.toString(), token);
        Optional<IdempotencyRecord> record = idempotencyKey.map(key -> new IdempotencyRecord(key, fingerprint, 201,
                json.write(receipt.withoutToken()), FollowUpTokens.seal(token, key, report.id()), now.plus(config.idempotencyWindow())));
        switch (store.saveNew(report, FollowUpTokens.hash(token), rateLimiter.slot(sourceIp, now), record)) {
            case IncidentStore.SaveResult.KeyTaken taken -> {
                return replay(taken.earlier(), fingerprint, idempotencyKey.orElseThrow());
            }
            case IncidentStore.SaveResult.SourceLimited limited -> throw rateLimiter.limited(now);
            case IncidentStore.SaveResult.Saved saved -> {
                // stored: go on to mail
            }
        }
        LogContext.put("incidentId", report.id());
        LOG.info("incident stored category={}", report.category());
        metrics.entry().count(RECEIVED_METRIC).property("incidentId", report.id()).property("category", report.category()).emit();
        if (deliverNotifications(report, IncidentStore.NotificationState.NOTHING_SENT, deadline)) {
            mailed(report.id(), "request");
        }
        return new Outcome(201, json.write(receipt), false);
    }

    /** The first response again, with the follow-up token unsealed by the key that sealed it. */
    private Outcome replay(IncidentStore.IdempotentResponse earlier, String fingerprint, String idempotencyKey) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new ClientErrorException(new ClientError.Unprocessable(
                    "Idempotency-Key was already used with a different request body"));
        }
        Receipt stored = json.read(earlier.body().getBytes(StandardCharsets.UTF_8), Receipt.class);
        Optional<String> token = earlier.sealedToken().flatMap(sealed -> FollowUpTokens.unseal(sealed, idempotencyKey, stored.id()));
        return new Outcome(earlier.status(), json.write(token.map(stored::withToken).orElse(stored)), true);
    }

    /**
     * Sends whichever mails of this report are still owed, each only if it can finish before the deadline; true when
     * none is owed any more. A failed or skipped mail stays owed, for the schedule.
     */
    boolean deliverNotifications(IncidentReport report, IncidentStore.NotificationState state, Deadline deadline) {
        try {
            if (!state.teamNotified()) {
                if (!deadline.allows(mailStep)) {
                    return leftToSchedule(report);
                }
                mailer.notifySecurityTeam(report);
                store.markTeamNotified(report.id(), clock.instant());
            }
            if (!state.reporterAcknowledged()) {
                if (!deadline.allows(mailStep)) {
                    return leftToSchedule(report);
                }
                mailer.acknowledgeReporter(report);
                store.markReporterAcknowledged(report.id(), clock.instant());
            }
            store.markNotificationsSent(report.id());
            return true;
        } catch (SdkException e) {
            LOG.warn("incident {} notification pending, will retry: {}", report.id(), e.getMessage());
            return false;
        }
    }

    private static boolean leftToSchedule(IncidentReport report) {
        LOG.warn("incident {} notification pending: no time left to mail it now", report.id());
        return false;
    }

    /**
     * The schedule's work, within the run's deadline: every report still owed a mail and older than the grace period
     * gets one more attempt, counted before it is made, unless it has had its attempts or its time; then it is given up.
     */
    public RetryResult retryPendingNotifications(Deadline deadline) {
        int attempted = 0;
        int completed = 0;
        int givenUp = 0;
        Instant now = clock.instant();
        for (String id : store.pendingReceivedBefore(now.minus(RETRY_GRACE))) {
            // Reading the report and counting the attempt come first; the rest of the round waits for the next run.
            if (!deadline.allows(mailStep)) {
                break;
            }
            Optional<IncidentStore.StoredReport> found = store.find(id);
            if (found.isEmpty()) {
                continue;
            }
            IncidentStore.StoredReport stored = found.get();
            if (stored.attempts() >= config.notificationMaxAttempts()
                    || !stored.report().receivedAt().plus(config.notificationMaxAge()).isAfter(now)) {
                if (store.markNotificationFailed(id, now)) {
                    metrics.entry().count(FAILED_METRIC).property("incidentId", id).emit();
                    LOG.error("incident {} mail given up after {} attempts: notification_failed", id, stored.attempts());
                    givenUp++;
                }
                continue;
            }
            if (!store.recordAttempt(id)) {
                continue;
            }
            attempted++;
            if (deliverNotifications(stored.report(), stored.notifications(), deadline)) {
                mailed(id, "retry");
                completed++;
            }
        }
        LOG.info("notification retry attempted={} completed={} givenUp={}", attempted, completed, givenUp);
        return new RetryResult(attempted, completed, attempted - completed, givenUp);
    }

    private void mailed(String incidentId, String path) {
        metrics.entry().dimension("Path", path).count(MAILED_METRIC).property("incidentId", incidentId).emit();
    }

    /** "inc_" and 32 base32 characters: 160 random bits. */
    static String newId() {
        return UnguessableIds.base32("inc_");
    }
}
