package com.supportress.shared.http;

import java.time.Duration;

/**
 * The function cannot do this request's work yet, and says so instead of running open: a required setting or
 * credential is missing, or is a placeholder. The HTTP adapter answers 503 with {@code Retry-After}, so a sender
 * that retries (Stripe, Chargebee) delivers again once an operator has fixed the configuration. The message is
 * sent to the caller: it names what is missing, never a value.
 */
public final class ServiceUnavailableException extends RuntimeException {

    private final transient Duration retryAfter;

    public ServiceUnavailableException(String message, Duration retryAfter) {
        // No stack trace: an expected state of the deployment, logged where it is detected.
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
