package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.log.LogContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The security team's work on reports: lists by status (and category, and time) from the ByStatus index, one report
 * with its thread, notes and audit trail, status moves along the allowed ones, replies (mailed to the reporter and
 * shown on their follow-up view) and internal notes (never shown or mailed to the reporter). Who did it comes from
 * the caller's verified token.
 */
@Singleton
public class TriageService {

    private static final Logger LOG = LoggerFactory.getLogger(TriageService.class);

    private final ResponseStore store;
    private final ThreadMail threadMail;
    private final Attachments attachments;
    private final Clock clock;

    public TriageService(ResponseStore store, ThreadMail threadMail, Attachments attachments, Clock clock) {
        this.store = store;
        this.attachments = attachments;
        this.threadMail = threadMail;
        this.clock = clock;
    }

    public ResponseViews.ReportList list(TriageQuery query) {
        ResponseStore.Page page = store.list(query.status(), query.category(), query.since(), query.until(),
                query.newestFirst(), query.limit(), query.cursor().map(ListCursor::startKey));
        List<ResponseViews.Summary> reports = page.items().stream().map(item -> new ResponseViews.Summary(
                item.get("id").s(), item.get("status").s(), item.get("category").s(), item.get("receivedAt").s(),
                text(item, "summary"), text(item, "lastActivityAt"), text(item, "firstRepliedAt"))).toList();
        return new ResponseViews.ReportList(reports, page.next().map(ListCursor::of).map(ListCursor::encoded).orElse(null));
    }

    public ResponseViews.Case show(String id) {
        ReportCase report = existing(id);
        return new ResponseViews.Case(report.id(), report.status().wireName(),
                report.status().next().stream().sorted(Comparator.naturalOrder()).map(ReportStatus::wireName).toList(),
                report.category(), report.receivedAt(), report.lastActivityAt().orElse(null), report.firstRepliedAt().orElse(null),
                report.resolvedAt().orElse(null), report.minimisedAt().orElse(null),
                report.reporterEmail().isEmpty() && report.reporterName().isEmpty() ? null
                        : new ResponseViews.Reporter(report.reporterEmail().orElse(null), report.reporterName().orElse(null)),
                report.summary().orElse(null), report.description().orElse(null), report.affectedAccount().orElse(null),
                report.affectedUrl().orElse(null), report.occurredAt().orElse(null),
                new ResponseViews.Counts(report.replies(), report.reporterMessages(), report.notes(), report.attachments()),
                store.activity(id, Activity.THREAD, ActivityEntries.ThreadMessage::fromItem).stream().map(ResponseViews.Message::forTeam).toList(),
                store.activity(id, Activity.NOTE, ActivityEntries.Note::fromItem).stream().map(ResponseViews.Note::of).toList(),
                attachments.forTeam(id),
                store.activity(id, Activity.EVENT, ActivityEntries.AuditEvent::fromItem).stream().map(ResponseViews.Event::of).toList());
    }

    /**
     * Moves the report to {@code to}. With {@code from} the move happens only if the report is still where the caller
     * saw it; without, from wherever it is now. Either way the write is conditioned on that status, so of two
     * conflicting moves one wins and the other gets 409 with the status it ran into.
     */
    public ResponseViews.Written changeStatus(String id, ReportStatus to, Optional<ReportStatus> from, String actor) {
        ReportCase report = existing(id);
        ReportStatus leaving = from.orElse(report.status());
        if (!leaving.canMoveTo(to)) {
            throw new ClientErrorException(new ClientError.Conflict("a report cannot move from " + leaving.wireName() + " to " + to.wireName()
                    + "; from " + leaving.wireName() + " it may go to: " + nextOf(leaving)));
        }
        Instant now = now();
        return switch (store.transition(id, leaving, to, actor, now)) {
            case ResponseStore.WriteResult.Written written -> {
                LOG.info("status {} -> {}", leaving.wireName(), to.wireName());
                yield new ResponseViews.Written(id, to.wireName(), null, Activity.sortable(now));
            }
            case ResponseStore.WriteResult.Refused refused -> throw new ClientErrorException(new ClientError.Conflict(
                    "the report is no longer " + leaving.wireName() + " but "
                            + refused.current().map(current -> current.status().wireName()).orElse("gone") + "; read it again"));
            case ResponseStore.WriteResult.RateLimited limited -> throw new IllegalStateException("the team's writes take no rate slot");
        };
    }

    /** A reply to the reporter: stored, then mailed (or owed to the timers schedule if SES refuses now). */
    public ResponseViews.Written reply(String id, String text, String actor) {
        ReportCase report = existing(id);
        Instant now = now();
        return switch (store.reply(id, actor, text, now)) {
            case ResponseStore.WriteResult.Written written -> {
                LOG.info("reply added");
                threadMail.deliver(id, written.ref());
                yield new ResponseViews.Written(id, report.status().wireName(), written.ref(), Activity.sortable(now));
            }
            case ResponseStore.WriteResult.Refused refused -> throw new ClientErrorException(new ClientError.Conflict(
                    "the reporter's contact details were removed (retention); the report takes no more replies"));
            case ResponseStore.WriteResult.RateLimited limited -> throw new IllegalStateException("the team's writes take no rate slot");
        };
    }

    public ResponseViews.Written note(String id, String text, String actor) {
        ReportCase report = existing(id);
        Instant now = now();
        return switch (store.note(id, actor, text, now)) {
            case ResponseStore.WriteResult.Written written -> {
                LOG.info("note added");
                yield new ResponseViews.Written(id, report.status().wireName(), written.ref(), Activity.sortable(now));
            }
            case ResponseStore.WriteResult.Refused refused -> throw notFound(id);
            case ResponseStore.WriteResult.RateLimited limited -> throw new IllegalStateException("the team's writes take no rate slot");
        };
    }

    private ReportCase existing(String id) {
        LogContext.put("incidentId", id);
        return Optional.of(id).filter(candidate -> FollowUpService.REPORT_ID.matcher(candidate).matches())
                .flatMap(store::find).orElseThrow(() -> notFound(id));
    }

    private static ClientErrorException notFound(String id) {
        return new ClientErrorException(new ClientError.NotFound("no incident report " + id));
    }

    private static String nextOf(ReportStatus status) {
        return status.next().isEmpty() ? "nothing (final)" : String.join(", ", status.next().stream().sorted().map(ReportStatus::wireName).toList());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String text(java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item, String name) {
        var value = item.get(name);
        return value == null ? null : value.s();
    }
}
