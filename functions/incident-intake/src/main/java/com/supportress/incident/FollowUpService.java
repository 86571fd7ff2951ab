package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.log.LogContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reporter's side after filing: with the follow-up token from the 201 they read where their report stands and
 * the team's replies, and add messages. A wrong or missing token is answered exactly like an unknown id, so the
 * routes tell nobody which ids exist. Every request served takes a slot of the source's hourly follow-up limit (in the
 * transaction of what it adds), so a refused one stores nothing.
 */
@Singleton
public class FollowUpService {

    private static final Logger LOG = LoggerFactory.getLogger(FollowUpService.class);
    static final Pattern REPORT_ID = Pattern.compile("inc_[a-z2-7]{32}");
    /** The one answer for an unknown id and for a wrong token: same status, same body. */
    static final String NOT_FOUND = "no incident report with this id and follow-up token";

    private final ResponseStore store;
    private final SourceRateLimiter rateLimiter;
    private final ThreadMail threadMail;
    private final Attachments attachments;
    private final ResponseConfig config;
    private final Clock clock;

    public FollowUpService(ResponseStore store, SourceRateLimiter rateLimiter, ThreadMail threadMail, Attachments attachments,
                           ResponseConfig config, Clock clock) {
        this.store = store;
        this.attachments = attachments;
        this.rateLimiter = rateLimiter;
        this.threadMail = threadMail;
        this.config = config;
        this.clock = clock;
    }

    /** The report as its reporter sees it; takes a slot of the source's hourly follow-up limit (429 past it). */
    public ResponseViews.FollowUp view(ReportCase report, String sourceIp) {
        rateLimiter.takeFollowUpSlot(sourceIp, config.followUpRequestsPerSourcePerHour(), clock.instant());
        return new ResponseViews.FollowUp(report.id(), report.status().wireName(), report.category(), report.receivedAt(),
                report.lastActivityAt().orElse(null), report.minimised(),
                store.activity(report.id(), Activity.THREAD, ActivityEntries.ThreadMessage::fromItem).stream()
                        .map(ResponseViews.Message::forReporter).toList(),
                attachments.forReporter(report.id()));
    }

    /** Adds the reporter's message to the thread and mails it to the team; 409 once the report is resolved. */
    public ResponseViews.Written addMessage(ReportCase report, String text, String sourceIp) {
        String id = report.id();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return switch (store.reporterMessage(id, text, config.messagesPerReport(), rateSlot(sourceIp, now), now)) {
            case ResponseStore.WriteResult.Written written -> {
                LOG.info("reporter message added");
                threadMail.deliver(id, written.ref());
                yield new ResponseViews.Written(id, report.status().wireName(), written.ref(), Activity.sortable(now));
            }
            case ResponseStore.WriteResult.Refused refused -> throw refusedMessage(refused.current().orElse(report));
            case ResponseStore.WriteResult.RateLimited limited -> throw rateLimiter.limited(now);
        };
    }

    /** The write that takes a slot of the source's hourly follow-up limit, in the transaction of what a request adds. */
    TransactWriteItem rateSlot(String sourceIp, Instant now) {
        return rateLimiter.followUpSlot(sourceIp, config.followUpRequestsPerSourcePerHour(), now);
    }

    ClientErrorException rateLimited(Instant now) {
        return rateLimiter.limited(now);
    }

    private ClientErrorException refusedMessage(ReportCase current) {
        if (current.status() == ReportStatus.RESOLVED) {
            return new ClientErrorException(new ClientError.Conflict("the report is resolved; file a new report for anything new"));
        }
        return new ClientErrorException(new ClientError.Conflict("the report already holds the most messages it takes ("
                + config.messagesPerReport() + "); the security team will answer"));
    }

    /**
     * The report, if the token is its follow-up token; else the same 404 as for an id nobody has, after the same
     * work (a read and a hash comparison), and nothing written.
     */
    public ReportCase authorize(String id, Optional<String> token) {
        Optional<ReportCase> report = Optional.of(id).filter(candidate -> REPORT_ID.matcher(candidate).matches()).flatMap(store::find);
        // The hash is compared even for an unknown id (against nothing), so both take the same path.
        if (!FollowUpTokens.matches(token, report.flatMap(ReportCase::followUpTokenHash))) {
            throw new ClientErrorException(new ClientError.NotFound(NOT_FOUND));
        }
        LogContext.put("incidentId", id);
        return report.get();
    }
}
