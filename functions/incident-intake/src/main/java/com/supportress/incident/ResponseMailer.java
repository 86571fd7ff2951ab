package com.supportress.incident;

import com.supportress.shared.mail.TextMailer;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The mails of the response workflow, plain text through {@link TextMailer} (one-line subjects): the team's reply to
 * the reporter, and a reporter's new message to the team. Internal notes are never mailed.
 */
@Singleton
public class ResponseMailer {

    private final TextMailer mailer;
    private final IncidentIntakeConfig config;

    public ResponseMailer(TextMailer mailer, IncidentIntakeConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    /** The reply goes to the reporter; their answer by mail reaches the team. */
    public void replyToReporter(ReportCase report, String reporterEmail, String text) {
        String subject = "Reply to your security report " + report.id();
        String body = text + "\n\n--\n"
                + "Report " + report.id() + " (status: " + report.status().wireName() + ").\n"
                + "Answer by replying to this mail, or add to the report on its follow-up page with your follow-up token.\n";
        mailer.send(config.senderEmail(), reporterEmail, Optional.of(config.securityTeamEmail()), subject, body);
    }

    /** A reporter's message goes to the team; replying answers the reporter. */
    public void messageToTeam(ReportCase report, String text) {
        String subject = "[Incident " + report.id() + "] New message from the reporter";
        String body = "The reporter of incident " + report.id() + " (" + report.category() + ", " + report.status().wireName()
                + ") added a message:\n\n" + text + "\n";
        mailer.send(config.senderEmail(), config.securityTeamEmail(), report.reporterEmail(), subject, body);
    }
}
