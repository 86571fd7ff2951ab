package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time one invocation has left, from Lambda's own count (Context.getRemainingTimeInMillis) at the start,
 * measured on the function's clock from then on. Work starts only while it can finish with the safety margin
 * to spare, so a long copy stops in good order, checkpoints, and hands the rest to the next invocation.
 */
public final class InvocationBudget {

    /** Outside Lambda (tests, the benchmark's JVM) an invocation is allowed what Lambda allows at most. */
    static final Duration WITHOUT_LAMBDA = Duration.ofMinutes(15);

    private final Clock clock;
    private final Instant deadline;
    private final Duration margin;

    InvocationBudget(Clock clock, Instant deadline, Duration margin) {
        this.clock = clock;
        this.deadline = deadline;
        this.margin = margin;
    }

    public static InvocationBudget of(Optional<Context> lambda, Clock clock, Duration margin) {
        Duration remaining = lambda.map(context -> Duration.ofMillis(context.getRemainingTimeInMillis())).orElse(WITHOUT_LAMBDA);
        return new InvocationBudget(clock, clock.instant().plus(remaining), margin);
    }

    /** When Lambda ends the invocation, whatever the code is doing. */
    public Instant deadline() {
        return deadline;
    }

    public Duration remaining() {
        return Duration.between(clock.instant(), deadline);
    }

    /** Whether a step expected to take this long still ends before the safety margin. */
    public boolean allows(Duration step) {
        return remaining().compareTo(margin.plus(step)) > 0;
    }
}
