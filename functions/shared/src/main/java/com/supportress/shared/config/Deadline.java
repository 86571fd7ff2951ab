package com.supportress.shared.config;

import java.time.Duration;

/**
 * The time a piece of work has left, on the monotonic clock (never the wall clock, which tests move and NTP steps):
 * a request that must answer before API Gateway gives up, a scheduled run that must end before its Lambda timeout.
 */
public final class Deadline {

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** Whether a step that may take up to this long still ends in time. */
    public boolean allows(Duration step) {
        return remaining().compareTo(step) >= 0;
    }
}
