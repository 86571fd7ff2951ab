package com.supportress.incident;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.util.Optional;

/**
 * Sends the mail a thread message owes (a reply to the reporter, a reporter's message to the team) and settles it.
 * The request that wrote the message tries first; the timers schedule retries what SES did not take.
 */
@Singleton
public class ThreadMail {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadMail.class);
    // Tried every 15 minutes by the timers schedule: a day of attempts before giving up on an address.
    static final int MAX_ATTEMPTS = 96;

    private final ResponseStore store;
    private final ResponseMailer mailer;
    private final Clock clock;

    public ThreadMail(ResponseStore store, ResponseMailer mailer, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** True when nothing is owed any more (sent now, earlier, or given up); false when SES refused and it stays owed. */
    public boolean deliver(String reportId, String sk) {
        Optional<ReportCase> report = store.find(reportId);
        Optional<ActivityEntries.ThreadMessage> message = store.threadMessage(reportId, sk);
        if (report.isEmpty() || message.isEmpty() || !message.get().mailOwed() || message.get().text().isEmpty()) {
            return true;
        }
        ActivityEntries.ThreadMessage owed = message.get();
        try {
            if (owed.author() == ActivityEntries.Author.TEAM) {
                Optional<String> address = report.get().reporterEmail();
                if (address.isEmpty()) {
                    store.markMailFailed(reportId, sk, clock.instant());
                    return true;
                }
                mailer.replyToReporter(report.get(), address.get(), owed.text().get());
            } else {
                mailer.messageToTeam(report.get(), owed.text().get());
            }
        } catch (SdkException e) {
            LOG.warn("mail of {} {} still owed: {}", reportId, sk, e.getMessage());
            store.countMailAttempt(reportId, sk);
            if (owed.mailAttempts() + 1 >= MAX_ATTEMPTS) {
                LOG.error("mail of {} {} given up after {} attempts", reportId, sk, MAX_ATTEMPTS);
                store.markMailFailed(reportId, sk, clock.instant());
                return true;
            }
            return false;
        }
        store.markMailed(reportId, sk, clock.instant());
        return true;
    }
}
