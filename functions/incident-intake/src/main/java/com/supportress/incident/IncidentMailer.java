package com.supportress.incident;

import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.nio.charset.StandardCharsets;

/**
 * The two mails of a report, through SES v2's structured API: recipients, subject and body are
 * separate fields, never a raw message, so reporter text cannot add headers.
 */
@Singleton
public class IncidentMailer {

    private final SesV2Client ses;
    private final IncidentIntakeConfig config;

    public IncidentMailer(SesV2Client ses, IncidentIntakeConfig config) {
        this.ses = ses;
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
        send(config.securityTeamEmail(), report.reporterEmail(), subject, body.toString());
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
        send(report.reporterEmail(), config.securityTeamEmail(), subject, body);
    }

    private void send(String to, String replyTo, String subject, String text) {
        ses.sendEmail(SendEmailRequest.builder()
                .fromEmailAddress(config.senderEmail())
                .destination(d -> d.toAddresses(to))
                .replyToAddresses(replyTo)
                .content(EmailContent.builder().simple(Message.builder()
                        .subject(utf8(oneLine(subject)))
                        .body(Body.builder().text(utf8(text)).build())
                        .build()).build())
                .build());
    }

    /** Subjects are one line whatever the input: any control character becomes a space. */
    static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }
}
