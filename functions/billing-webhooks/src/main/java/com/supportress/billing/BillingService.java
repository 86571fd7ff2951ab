package com.supportress.billing;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.log.LogContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Takes verified events from either provider, whether a webhook or reconciliation brought them: records the
 * event id first (the conditional write decides first time or duplicate), applies its state changes under
 * their watermarks, then does the slow work (the dunning mail). Every step is safe to repeat, so an event
 * whose processing failed half-way is simply processed again when the provider retries it.
 */
@Singleton
public class BillingService {

    private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
    // Longer than one SES call can take; a sender that died holding the lease gives way after it.
    static final Duration MAIL_LEASE = Duration.ofSeconds(60);
    static final int RECENT_EVENTS = 20;

    /** What happened to one delivery. */
    public enum Outcome { APPLIED, IGNORED, DUPLICATE }

    private final BillingStore store;
    private final DunningMailer mailer;
    private final BillingConfig config;
    private final Clock clock;

    public BillingService(BillingStore store, DunningMailer mailer, BillingConfig config, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Records and applies a verified event. An event dated more than the signature tolerance ahead of now is refused
     * (400, nothing stored): its watermark would freeze the account's state until that date, every genuine event
     * losing against it.
     */
    public Outcome receive(BillingEvent event, String source) {
        LogContext.put("eventId", event.key());
        fieldAheadOfNow(event).ifPresent(field -> {
            throw new ClientErrorException(ClientError.InvalidFields.of(field,
                    "is more than " + config.signatureTolerance().toSeconds() + " seconds ahead of now"));
        });
        Optional<BillingStore.Status> earlier = store.recordFirst(event, source, clock.instant());
        if (earlier.isPresent() && earlier.get() != BillingStore.Status.RECEIVED) {
            LOG.info("duplicate event type={} status={}", event.type(), earlier.get());
            return Outcome.DUPLICATE;
        }
        // First delivery, or a repeat of one that did not finish (it failed, or is still running in parallel):
        // both finish the work, since every step below is idempotent.
        if (!event.handled()) {
            store.markProcessed(event, BillingStore.Status.IGNORED);
            event.notApplied().ifPresentOrElse(
                    reason -> LOG.warn("event type={} recorded but not applied: {}", event.type(), reason),
                    () -> LOG.info("event type={} recorded and ignored", event.type()));
            return Outcome.IGNORED;
        }
        int written = 0;
        for (StateChange change : event.changes()) {
            written += store.apply(change) ? 1 : 0;
        }
        boolean mailSettled = event.dunning().map(notice -> notifyPaymentFailed(event, notice)).orElse(true);
        if (!mailSettled) {
            // A parallel delivery holds the mail's lease: the event stays RECEIVED, so should that delivery fail,
            // the provider's retry of it still finds work to do. The one that sends marks the event done.
            LOG.info("event type={} applied; its mail is being sent by a parallel delivery", event.type());
            return earlier.isPresent() ? Outcome.DUPLICATE : Outcome.APPLIED;
        }
        store.markProcessed(event, BillingStore.Status.DONE);
        LOG.info("event type={} applied groups={}/{} repeat={}", event.type(), written, event.changes().size(), earlier.isPresent());
        return earlier.isPresent() ? Outcome.DUPLICATE : Outcome.APPLIED;
    }

    /**
     * The provider's name for the first time of the event that lies more than the signature tolerance ahead of now:
     * the event's own time ({@code created}, {@code occurred_at}), or a resource version a watermark is made of.
     */
    public Optional<String> fieldAheadOfNow(BillingEvent event) {
        Instant latest = clock.instant().plus(config.signatureTolerance());
        if (event.occurredAt().isAfter(latest)) {
            return Optional.of(event.provider().timeField());
        }
        return event.changes().stream()
                .filter(change -> change.watermark().epochMillis() > latest.toEpochMilli())
                .findFirst()
                .map(change -> event.provider().versionField());
    }

    /**
     * Once per invoice, not per delivery: the mail record's conditional claim lets one sender through. If SES
     * fails the claim is released and the exception propagates, so the provider retries the event and the
     * retry sends the mail; a mail already marked sent is never sent again. Returns whether the mail is settled
     * (sent now or before, or impossible for want of a contact); false while another delivery holds the lease.
     */
    private boolean notifyPaymentFailed(BillingEvent event, DunningNotice notice) {
        String mailKey = "mail:dunning:" + event.provider().id() + ":" + notice.invoiceId();
        Instant now = clock.instant();
        if (!store.claimMail(mailKey, now, now.plus(MAIL_LEASE))) {
            return store.mailSettled(mailKey);
        }
        String accountKey = event.subject().orElseThrow();
        // The contact the provider's customer object gave us first; an address the failing event carries (an
        // invoice's customer_email, a snapshot) only when we have none, so an event cannot redirect the mail.
        Optional<String> recipient = store.billingEmail(accountKey).or(notice::billingEmail);
        if (recipient.isEmpty()) {
            LOG.warn("payment failed for invoice {} but the account has no billing contact", notice.invoiceId());
            store.finishMail(mailKey, "no_contact", now);
            return true;
        }
        try {
            mailer.sendPaymentFailed(recipient.get(), notice);
        } catch (SdkException e) {
            store.releaseMail(mailKey);
            throw e;
        }
        store.finishMail(mailKey, "sent", clock.instant());
        LOG.info("dunning mail sent for invoice {}", notice.invoiceId());
        return true;
    }

    /** The operator's view of one account (or of a charge, for disputes). */
    public AccountView account(String accountKey) {
        Map<String, Object> state = Map.of();
        List<Map<String, Object>> subscriptions = new ArrayList<>();
        for (Map<String, AttributeValue> item : store.accountItems(accountKey)) {
            if (item.get("sk").s().equals(BillingStore.ACCOUNT_ITEM)) {
                state = plain(item);
            } else {
                subscriptions.add(plain(item));
            }
        }
        List<Map<String, Object>> events = store.recentEvents(accountKey, RECENT_EVENTS).stream().map(BillingService::plain).toList();
        return new AccountView(accountKey, state, subscriptions, events);
    }

    /** DynamoDB's typed values as JSON's; watermarks and keys are internal and stay out. */
    private static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> values = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.endsWith("Watermark") || name.equals("pk") || name.equals("sk") || name.equals("occurredKey")) {
                return;
            }
            if (value.s() != null) {
                values.put(name, value.s());
            } else if (value.n() != null) {
                values.put(name, new BigDecimal(value.n()));
            } else if (value.bool() != null) {
                values.put(name, value.bool());
            }
        });
        return values;
    }
}
