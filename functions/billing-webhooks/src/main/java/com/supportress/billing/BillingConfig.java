package com.supportress.billing;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything billing reads from its environment, in one place. The variable names are the ones
 * template.yaml sets on BillingWebhooksFunction and BillingReconciliationFunction. Secrets are not
 * here: {@link WebhookSecrets} reads them from Secrets Manager (or, locally, the environment).
 */
public record BillingConfig(
        String eventsTable,
        String stateTable,
        String senderEmail,
        Duration signatureTolerance,
        Duration eventRetention,
        Optional<String> stripeApiBase,
        Duration reconciliationFirstLookback,
        Duration reconciliationOverlap) {

    /** Stripe's own default: a signed timestamp older than this is a replay, newer than this is forged. */
    static final Duration SIGNATURE_TOLERANCE = Duration.ofSeconds(300);

    public static BillingConfig from(FunctionEnvironment env) {
        return new BillingConfig(
                env.require("BILLING_EVENTS_TABLE"),
                env.require("BILLING_STATE_TABLE"),
                env.require("SENDER_EMAIL"),
                SIGNATURE_TOLERANCE,
                // Longer than both providers' retry windows (Stripe: 3 days, Chargebee: about 2 days), so every
                // redelivery still finds its record; the watermarks keep state right even after a record expires.
                Duration.ofDays(env.getInt("BILLING_EVENT_RETENTION_DAYS", 90)),
                env.find("STRIPE_API_BASE"),
                Duration.ofDays(1),
                // Events are listed again this far back, because Stripe may create an event a moment after a later one.
                Duration.ofMinutes(10));
    }

    @Factory
    static class Beans {
        // Secondary: a test (or the benchmark) may register its own config, e.g. an unverified sender or a fake Stripe API.
        @Singleton
        @Secondary
        BillingConfig billingConfig(FunctionEnvironment environment) {
            return BillingConfig.from(environment);
        }
    }
}
