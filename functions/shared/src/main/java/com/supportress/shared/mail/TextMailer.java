package com.supportress.shared.mail;

import com.supportress.shared.http.TextRules;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Content;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Plain-text mail through SES v2's structured API: sender, recipient, reply-to, subject and body are separate
 * fields, never a raw message, and the subject is forced onto one line ({@link TextRules}), so no text can add headers or lines.
 */
@Singleton
@Requires(classes = SesV2Client.class)
public class TextMailer {

    private final SesV2Client ses;

    public TextMailer(SesV2Client ses) {
        this.ses = ses;
    }

    public void send(String from, String to, Optional<String> replyTo, String subject, String text) {
        ses.sendEmail(request -> {
            request.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(to))
                    .content(c -> c.simple(m -> m.subject(utf8(oneLine(subject))).body(b -> b.text(utf8(text)))));
            replyTo.ifPresent(request::replyToAddresses);
        });
    }

    /** Any character a line must not carry (control, format, line and paragraph separators) becomes a space. */
    static String oneLine(String text) {
        return TextRules.toOneLine(text);
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }
}
