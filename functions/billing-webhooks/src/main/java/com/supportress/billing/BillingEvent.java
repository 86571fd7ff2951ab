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
 */
public record BillingEvent(
        Provider provider,
        String eventId,
        String type,
        Instant occurredAt,
        Optional<String> subject,
        List<StateChange> changes,
        Optional<DunningNotice> dunning) {

    public BillingEvent {
        changes = List.copyOf(changes);
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
