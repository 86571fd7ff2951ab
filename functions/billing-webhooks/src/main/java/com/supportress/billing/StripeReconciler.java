package com.supportress.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.param.EventListParams;
import com.supportress.shared.http.JsonCodec;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds Stripe events whose webhook never reached us: lists the events Stripe created since the last run
 * (minus an overlap, as Stripe's list is eventually consistent) and hands each to {@link BillingService}, whose
 * conditional write skips the ones already seen. Oldest first, though the watermarks make the order irrelevant.
 */
@Singleton
public class StripeReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(StripeReconciler.class);

    /** How one run went; {@code deferred} events were dated ahead of our clock and wait for a later run. */
    @Serdeable
    public record Result(int listed, int applied, int ignored, int alreadySeen, int deferred) {
    }

    private final BillingService billing;
    private final BillingStore store;
    private final WebhookSecretsSource secrets;
    private final BillingConfig config;
    private final JsonCodec json;
    private final Clock clock;
    private StripeClient client;
    private String clientKey;

    public StripeReconciler(BillingService billing, BillingStore store, WebhookSecretsSource secrets, BillingConfig config,
                            JsonCodec json, Clock clock) {
        this.billing = billing;
        this.store = store;
        this.secrets = secrets;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    public Result run() {
        WebhookSecrets configured = secrets.current();
        Optional<String> apiKey = configured.stripeApiKey().value();
        if (apiKey.isEmpty()) {
            if (configured.stripeSigningSecrets().isUsable()) {
                // Stripe's webhooks are in use, so a missed one would stay missed: someone must configure the key.
                MissingCredentials.report(configured.stripeApiKey(), "Stripe reconciliation skipped");
            } else {
                LOG.info("Stripe is not configured: reconciliation skipped");
            }
            return new Result(0, 0, 0, 0, 0);
        }
        long listedUntil = clock.instant().getEpochSecond();
        long from = store.reconciliationCursor()
                .map(cursor -> cursor - config.reconciliationOverlap().toSeconds())
                .orElse(listedUntil - config.reconciliationFirstLookback().toSeconds());
        List<Event> events = new ArrayList<>();
        try {
            EventListParams params = EventListParams.builder()
                    .setCreated(EventListParams.Created.builder().setGte(from).build())
                    .setLimit(100L)
                    .build();
            client(apiKey.get()).v1().events().list(params).autoPagingIterable().forEach(events::add);
        } catch (StripeException e) {
            throw new IllegalStateException("listing Stripe events failed: " + e.getMessage(), e);
        }
        // Read every listed event first, with the same rules as a webhook: one that cannot be read must not hold up the rest.
        List<BillingEvent> readable = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Event event : events) {
            try {
                readable.add(StripeEvents.reduce(event, json));
            } catch (MalformedEventException | JsonCodec.MalformedJsonException e) {
                unreadable.add(e.getMessage());
            }
        }
        readable.sort(Comparator.comparing(BillingEvent::occurredAt).thenComparing(BillingEvent::eventId));
        int applied = 0;
        int ignored = 0;
        int seen = 0;
        int deferred = 0;
        for (BillingEvent event : readable) {
            Optional<String> ahead = billing.fieldAheadOfNow(event);
            if (ahead.isPresent()) {
                // Listed again by a later run (the cursor overlaps), once our clock has caught up with Stripe's.
                LOG.warn("event {} deferred: its {} is ahead of our clock", event.eventId(), ahead.get());
                deferred++;
                continue;
            }
            switch (billing.receive(event, "reconciliation")) {
                case APPLIED -> applied++;
                case IGNORED -> ignored++;
                case DUPLICATE -> seen++;
            }
        }
        store.advanceReconciliationCursor(listedUntil);
        Result result = new Result(events.size(), applied, ignored, seen, deferred);
        LOG.info("stripe reconciliation listed={} applied={} ignored={} alreadySeen={} deferred={}", result.listed(), applied, ignored, seen, deferred);
        if (!unreadable.isEmpty()) {
            // After the others are applied and the cursor moved: the failed invocation raises the reconciliation alarm.
            throw new IllegalStateException(unreadable.size() + " listed Stripe events cannot be read, first: " + unreadable.get(0));
        }
        return result;
    }

    /** One client per API key: built once, rebuilt only when the key in the secret changes. */
    private synchronized StripeClient client(String apiKey) {
        if (client == null || !apiKey.equals(clientKey)) {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(apiKey).setMaxNetworkRetries(2);
            config.stripeApiBase().ifPresent(builder::setApiBase);
            client = builder.build();
            clientKey = apiKey;
        }
        return client;
    }
}
