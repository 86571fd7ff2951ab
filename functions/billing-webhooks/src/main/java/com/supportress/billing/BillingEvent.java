package com.supportress.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One provider event reduced to what billing keeps: ids, type, time, the state it sets and the mail it owes.
 * The provider's payload itself is not kept: it can carry card details (brand, last four, expiry) and
 * addresses, and billing needs none of them.
 *
 * @param subject the account key the event is about ({@code stripe#cus_...}), or the object it names when it
 *                names no customer (a dispute names only its charge)
 * @param notApplied  why a verified event of a handled type changes nothing (its object lacks what billing needs)
 */
public record BillingEvent(
        Provider provider,
        String eventId,
        String type,
        Instant occurredAt,
        Optional<String> subject,
        List<StateChange> changes,
        Optional<DunningNotice> dunning,
        Optional<String> notApplied) {

    /** 9999-12-31T23:59:59Z: no provider event is dated later, and every time up to it fits a watermark's 15 digits of millis. */
    static final long LATEST_EPOCH_SECOND = 253_402_300_799L;

    public BillingEvent {
        changes = List.copyOf(changes);
    }

    public BillingEvent(Provider provider, String eventId, String type, Instant occurredAt, Optional<String> subject,
                        List<StateChange> changes, Optional<DunningNotice> dunning) {
        this(provider, eventId, type, occurredAt, subject, changes, dunning, Optional.empty());
    }

    /**
     * A genuine event (its signature or credentials passed) that billing cannot apply, such as a checkout in payment
     * mode with no customer: answered 200 and recorded, since a 4xx would only make the provider retry it for days.
     */
    static BillingEvent notApplied(Provider provider, String eventId, String type, Instant occurredAt, MalformedEventException reason) {
        return new BillingEvent(provider, eventId, type, occurredAt, Optional.empty(), List.of(), Optional.empty(),
                Optional.of(reason.getMessage()));
    }

    /** The key of this event in the events table: provider ids are unique per provider only. */
    public String key() {
        return provider.id() + ":" + eventId;
    }

    /** Handled types change state or owe a mail; others are recorded and ignored. */
    public boolean handled() {
        return !changes.isEmpty() || dunning.isPresent();
    }

    public static String accountKey(Provider provider, String customerId) {
        return provider.id() + "#" + customerId;
    }
}
