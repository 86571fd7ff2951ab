package com.supportress.regionbuckets;

import org.slf4j.MDC;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs work for at most a given time. A custom resource must answer before Lambda's timeout kills it,
 * or CloudFormation waits an hour: work that overruns is interrupted and reported as a failure instead.
 */
final class TimeBox {

    private TimeBox() {
    }

    /**
     * The work's result, or its own exception.
     *
     * @throws IllegalStateException when the budget runs out first
     */
    static <T> T run(Supplier<T> work, Duration budget) {
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("timeboxed-work").start(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(Math.max(0, budget.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Not awaited: the answer must go out now. Interrupting a virtual thread also aborts its blocking socket I/O.
            worker.interrupt();
            throw new IllegalStateException("not done within " + budget.toMillis() + " ms; the function's log shows how far it got");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
