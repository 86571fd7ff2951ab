package com.supportress.incident;

import com.supportress.upload.store.UploadStore;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the response workflow owes over time, found in the activity table's sparse Due index (never a scan) and done
 * a bounded batch at a time, so a run's work does not grow with the backlog (the next run takes the rest):
 * <ol>
 * <li>reports past the first-response target with no reply get marked overdue, once (the timer's condition), and</li>
 * <li>each marked report is published to the ops topic, then the mark is settled (a publish SNS refused stays owed);</li>
 * <li>thread mails SES refused are sent again;</li>
 * <li>reports resolved longer than the retention lose the reporter's contact details, free text and attachments.</li>
 * </ol>
 * Every step is idempotent: a run interrupted anywhere is finished by the next.
 */
@Singleton
public class TimersService {

    private static final Logger LOG = LoggerFactory.getLogger(TimersService.class);
    static final int BATCH = 100;
    // The request that wrote a message tries its mail first; the schedule leaves it that long.
    static final Duration MAIL_GRACE = Duration.ofMinutes(2);

    /** What one run did. */
    @Serdeable
    public record TimersResult(int markedOverdue, int alarmsPublished, int alarmsOwed, int mailsSettled, int mailsOwed, int minimised) {
    }

    private final ResponseStore store;
    private final OpsAlerts alerts;
    private final ThreadMail threadMail;
    private final AttachmentRemoval attachments;
    private final UploadStore uploads;
    private final ResponseConfig config;
    private final Clock clock;

    public TimersService(ResponseStore store, OpsAlerts alerts, ThreadMail threadMail, AttachmentRemoval attachments,
                         UploadStore uploads, ResponseConfig config, Clock clock) {
        this.store = store;
        this.attachments = attachments;
        this.uploads = uploads;
        this.alerts = alerts;
        this.threadMail = threadMail;
        this.config = config;
        this.clock = clock;
    }

    public TimersResult run() {
        Instant now = clock.instant();
        int marked = 0;
        for (ResponseStore.Due due : store.due(Activity.DUE_FIRST_RESPONSE, now.minus(config.firstResponseTarget()), BATCH)) {
            if (store.markOverdue(due.reportId(), now)) {
                marked++;
            }
        }
        int published = 0;
        int alarmsOwed = 0;
        for (ResponseStore.Due due : store.due(Activity.DUE_OVERDUE_ALARM, now, BATCH)) {
            if (publishOverdue(due.reportId(), now)) {
                published++;
            } else {
                alarmsOwed++;
            }
        }
        int settled = 0;
        int mailsOwed = 0;
        for (ResponseStore.Due due : store.due(Activity.DUE_MAIL, now.minus(MAIL_GRACE), BATCH)) {
            if (threadMail.deliver(due.reportId(), due.sk())) {
                settled++;
            } else {
                mailsOwed++;
            }
        }
        int minimised = 0;
        for (ResponseStore.Due due : store.due(Activity.DUE_RETENTION, now.minus(config.reporterDataRetention()), BATCH)) {
            if (minimise(due.reportId(), now)) {
                minimised++;
            }
        }
        TimersResult result = new TimersResult(marked, published, alarmsOwed, settled, mailsOwed, minimised);
        LOG.info("timers {}", result);
        return result;
    }

    private boolean publishOverdue(String reportId, Instant now) {
        Optional<ReportCase> report = store.find(reportId);
        try {
            alerts.publish("Incident " + reportId + ": no first response within " + config.firstResponseTarget().toHours() + " hours",
                    "Incident report " + reportId + " has had no reply to its reporter within the first-response target of "
                            + config.firstResponseTarget().toHours() + " hours.\n\n"
                            + report.map(r -> "Category: " + r.category() + "\nStatus: " + r.status().wireName() + "\nReceived at: " + r.receivedAt() + "\n")
                            .orElse("")
                            + "\nRead and answer it: incident-cli show " + reportId + " / incident-cli reply " + reportId + " <text>\n");
        } catch (SdkException e) {
            LOG.warn("overdue alarm for {} not published, will retry: {}", reportId, e.getMessage());
            return false;
        }
        store.markAlarmed(reportId, now);
        LOG.info("overdue alarm published for {}", reportId);
        return true;
    }

    /**
     * Removes the text of every thread message and the attachments (bytes, versions, replicas and their names), then
     * the reporter's details from the report, then stops the timer.
     */
    private boolean minimise(String reportId, Instant now) {
        for (ActivityEntries.ThreadMessage message : store.activity(reportId, Activity.THREAD, ActivityEntries.ThreadMessage::fromItem)) {
            if (message.text().isPresent()) {
                store.redact(reportId, message.sk(), now);
            }
        }
        int versions = attachments.remove(reportId);
        for (ActivityEntries.Attachment attachment : store.activity(reportId, Activity.ATTACHMENT, ActivityEntries.Attachment::fromItem)) {
            uploads.redactFileName(attachment.uploadId());
            store.redactAttachment(reportId, attachment.sk(), now);
        }
        LOG.info("attachments of {}: {} object versions deleted", reportId, versions);
        boolean done = store.minimise(reportId, now);
        LOG.info("reporter data of {} {}", reportId, done ? "removed" : "was already removed");
        return done;
    }
}
