package com.supportress.billing;

import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Content;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Tells an account's billing contact that a payment failed, through SES. */
@Singleton
public class DunningMailer {

    private final SesV2Client ses;
    private final BillingConfig config;

    public DunningMailer(SesV2Client ses, BillingConfig config) {
        this.ses = ses;
        this.config = config;
    }

    public void sendPaymentFailed(String recipient, DunningNotice notice) {
        String amount = BigDecimal.valueOf(notice.amountDue(), 2).toPlainString() + " " + notice.currency().toUpperCase(Locale.ROOT);
        String body = """
                Hello,

                We could not collect the payment of %s for your Supportress invoice %s (attempt %d).
                Your subscription is now past due. Please update your payment method in the billing portal;
                we will try again automatically.

                If you have already paid, please ignore this message.

                The Supportress team
                """.formatted(amount, notice.invoiceId(), notice.attempt());
        ses.sendEmail(r -> r
                .fromEmailAddress(config.senderEmail())
                .destination(d -> d.toAddresses(recipient))
                .content(c -> c.simple(m -> m
                        .subject(utf8("Payment failed for invoice " + notice.invoiceId()))
                        .body(b -> b.text(utf8(body))))));
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }
}
