package com.supportress.billing;

import com.supportress.shared.mail.TextMailer;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/** Tells an account's billing contact that a payment failed, through SES. */
@Singleton
public class DunningMailer {

    private final TextMailer mailer;
    private final BillingConfig config;

    public DunningMailer(TextMailer mailer, BillingConfig config) {
        this.mailer = mailer;
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
        mailer.send(config.senderEmail(), recipient, Optional.empty(), "Payment failed for invoice " + notice.invoiceId(), body);
    }
}
