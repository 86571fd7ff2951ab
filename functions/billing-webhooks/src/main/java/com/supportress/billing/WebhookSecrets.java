package com.supportress.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * The credentials billing needs, never logged and never in the repository: Stripe's endpoint signing
 * secrets (the current one and, during a rotation, the previous one), the Basic-auth pair Chargebee
 * sends, and a Stripe restricted key that may only read events (for reconciliation). Each is usable or
 * says why not: a webhook whose credential is not usable refuses every delivery (503) instead of
 * running open, and a value that is obviously a placeholder counts as not configured.
 */
public record WebhookSecrets(
        Credential<List<String>> stripeSigningSecrets,
        Credential<ChargebeeLogin> chargebee,
        Credential<String> stripeApiKey) {

    /** What Chargebee sends as HTTP Basic credentials. */
    public record ChargebeeLogin(String username, String password) {
        @Override
        public String toString() {
            return "ChargebeeLogin[***]";
        }
    }

    /** Reads raw configured values (null or blank when absent) through {@link CredentialRules}. */
    static WebhookSecrets of(List<String> stripeSigningSecrets, String chargebeeUsername, String chargebeePassword, String stripeApiKey) {
        return new WebhookSecrets(signingSecrets(stripeSigningSecrets), chargebee(chargebeeUsername, chargebeePassword), apiKey(stripeApiKey));
    }

    /** Whether both webhooks can verify what they receive. */
    public boolean webhooksConfigured() {
        return stripeSigningSecrets.isUsable() && chargebee.isUsable();
    }

    private static Credential<List<String>> signingSecrets(List<String> configured) {
        String name = "stripeSigningSecrets";
        List<String> given = configured.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
        if (given.isEmpty()) {
            return Credential.unusable(name, "no Stripe signing secret is configured");
        }
        if (given.size() > 2) {
            return Credential.unusable(name, "lists " + given.size() + " secrets; configure the current one and, while rotating, the previous one");
        }
        // A placeholder next to a real secret is dropped: it never verifies, the real one still does.
        List<String> usable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            int index = i;
            CredentialRules.stripeSigningSecret(given.get(i)).ifPresentOrElse(
                    problem -> problems.add(name + "[" + index + "] " + problem), () -> usable.add(given.get(index)));
        }
        return usable.isEmpty() ? Credential.unusable(name, String.join("; ", problems)) : Credential.usable(name, List.copyOf(usable));
    }

    private static Credential<ChargebeeLogin> chargebee(String username, String password) {
        String name = "chargebeeUsername/chargebeePassword";
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            return Credential.unusable(name, "the Chargebee webhook user name and password are not both configured");
        }
        return CredentialRules.chargebeeLogin(username, password)
                .<Credential<ChargebeeLogin>>map(problem -> Credential.unusable(name, "the Chargebee login " + problem))
                .orElseGet(() -> Credential.usable(name, new ChargebeeLogin(username, password)));
    }

    private static Credential<String> apiKey(String key) {
        String name = "stripeApiKey";
        if (key == null || key.isBlank()) {
            return Credential.unusable(name, "no Stripe API key is configured");
        }
        String stripped = key.strip();
        return CredentialRules.stripeApiKey(stripped)
                .<Credential<String>>map(problem -> Credential.unusable(name, name + " " + problem))
                .orElseGet(() -> Credential.usable(name, stripped));
    }
}
