package com.supportress.billing;

import java.util.List;
import java.util.Optional;

/**
 * The credentials billing needs, never logged and never in the repository: Stripe's endpoint signing
 * secrets (the current one and, during a rotation, the previous one), the Basic-auth pair Chargebee
 * sends, and a Stripe restricted key that may only read events (for reconciliation).
 */
public record WebhookSecrets(
        List<String> stripeSigningSecrets,
        String chargebeeUsername,
        String chargebeePassword,
        Optional<String> stripeApiKey) {

    public WebhookSecrets {
        stripeSigningSecrets = stripeSigningSecrets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (stripeSigningSecrets.isEmpty() || stripeSigningSecrets.size() > 2) {
            throw new IllegalStateException("configure one or two Stripe signing secrets (current, and previous while rotating)");
        }
        if (chargebeeUsername == null || chargebeeUsername.isBlank() || chargebeePassword == null || chargebeePassword.isBlank()) {
            throw new IllegalStateException("Chargebee webhook username and password must both be set");
        }
        stripeApiKey = stripeApiKey.filter(key -> !key.isBlank());
    }

    @Override
    public String toString() {
        // Records print their fields; these must never reach a log line.
        return "WebhookSecrets[stripeSigningSecrets=" + stripeSigningSecrets.size() + ", chargebee=***, stripeApiKey="
                + (stripeApiKey.isPresent() ? "***" : "none") + "]";
    }
}
