package com.supportress.incident;

import com.supportress.shared.mail.TextMailer;
import jakarta.inject.Singleton;

import java.util.Optional;

/** The two mails of a report, sent as plain text through SES ({@link TextMailer}: reporter text cannot add headers). */
@Singleton
public class IncidentMailer {

    private final TextMailer mailer;
    private final IncidentIntakeConfig config;

    public IncidentMailer(TextMailer mailer, IncidentIntakeConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    /** The security team gets every field; replies go to the reporter. */
    public void notifySecurityTeam(IncidentReport report) {
        String subject = "[Incident " + report.id() + "] " + report.category() + ": " + report.summary();
        StringBuilder body = new StringBuilder()
                .append("A new incident report was received.\n\n")
                .append("Id: ").append(report.id()).append('\n')
                .append("Received at: ").append(report.receivedAt()).append('\n')
                .append("Category: ").append(report.category()).append('\n')
                .append("Reporter email: ").append(report.reporterEmail()).append('\n')
                .append("Reporter name: ").append(report.reporterName().orElse("(not given)")).append('\n')
                .append("Affected account: ").append(report.affectedAccount().orElse("(not given)")).append('\n')
                .append("Affected URL: ").append(report.affectedUrl().orElse("(not given)")).append('\n')
                .append("Occurred at: ").append(report.occurredAt().orElse("(not given)")).append('\n')
                .append("Source IP: ").append(report.sourceIp()).append('\n')
                .append("Summary: ").append(report.summary()).append("\n\n")
                .append("Description:\n").append(report.description()).append('\n');
        mailer.send(config.senderEmail(), config.securityTeamEmail(), Optional.of(report.reporterEmail()), subject, body.toString());
    }

    /**
     * The reporter gets the id to quote. It repeats none of the reporter's own text, so the form cannot
     * be used to send chosen words to someone else's address.
     */
    public void acknowledgeReporter(IncidentReport report) {
        String subject = "We received your security report " + report.id();
        String body = "Thank you for your report. Our security team has received it and will review it.\n\n"
                + "Report id: " + report.id() + "\n"
                + "Category: " + report.category() + "\n"
                + "Received at: " + report.receivedAt() + "\n\n"
                + "Please quote the report id in any further message about this incident.\n";
        mailer.send(config.senderEmail(), report.reporterEmail(), Optional.of(config.securityTeamEmail()), subject, body);
    }
}
