package com.supportress.backup;

import java.time.Duration;

/** When an invocation must stop starting work and checkpoint: Lambda's own deadline less a margin, or a budget. */
record Deadline(long endNanos) {

    /** Time kept back from Lambda's deadline to finish the step under way and write the checkpoint (a quarter of a short invocation). */
    static final Duration MARGIN = Duration.ofSeconds(90);

    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** From the milliseconds Lambda says remain, or the configured budget when there is no Lambda context. */
    static Deadline of(java.util.Optional<com.amazonaws.services.lambda.runtime.Context> lambda, Duration budget) {
        return lambda.map(c -> {
            Duration remaining = Duration.ofMillis(c.getRemainingTimeInMillis());
            Duration margin = remaining.dividedBy(4).compareTo(MARGIN) < 0 ? remaining.dividedBy(4) : MARGIN;
            return after(remaining.minus(margin));
        }).orElseGet(() -> after(budget));
    }

    boolean passed() {
        return System.nanoTime() - endNanos >= 0;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }
}
