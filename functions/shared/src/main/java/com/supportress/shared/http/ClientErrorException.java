package com.supportress.shared.http;

/** Carries a {@link ClientError} out of a service to the HTTP adapter, which turns it into a 4xx. */
public final class ClientErrorException extends RuntimeException {

    private final transient ClientError error;

    public ClientErrorException(ClientError error) {
        // No stack trace: this is an expected outcome on a hot path, not a fault.
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ClientError error() {
        return error;
    }
}
