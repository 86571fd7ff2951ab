package com.supportress.billing;

import java.util.Objects;
import java.util.Optional;

/**
 * One credential as configured: its value when usable, otherwise why it is not (missing, or failing
 * {@link CredentialRules}). The problem is safe to log; the value never is, so neither appears in {@link #toString()}.
 *
 * @param name where the credential is configured, e.g. {@code stripeSigningSecrets}
 */
public record Credential<T>(String name, Optional<T> value, String problem) {

    public Credential {
        Objects.requireNonNull(name);
        if (value.isPresent() == (problem != null)) {
            throw new IllegalArgumentException("a credential is either usable or has a problem");
        }
    }

    static <T> Credential<T> usable(String name, T value) {
        return new Credential<>(name, Optional.of(value), null);
    }

    static <T> Credential<T> unusable(String name, String problem) {
        return new Credential<>(name, Optional.empty(), problem);
    }

    public boolean isUsable() {
        return value.isPresent();
    }

    @Override
    public String toString() {
        return name + (isUsable() ? "=***" : ": " + problem);
    }
}
