package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * One invocation's hold on a document in the working bucket that may outlast it (a run's state, a proof's
 * progress). It takes the document's lease with a conditional write, keeps the document in memory while
 * workers change it, and writes it back (If-Match on the last ETag, lease renewed) at most every few
 * seconds or when asked. When a write finds the document changed by someone else, the lease is lost:
 * {@link #lost()} turns true and the workers stop, so two invocations never both act on it; whatever the
 * loser did meanwhile is repeated, harmlessly, by the winner.
 */
final class Checkpoint<S extends Checkpoint.Leased<S>> {

    /** Who works on the document and until when; others wait until it expires. */
    @Serdeable
    public record Lease(String owner, Instant until) {
    }

    /** A document that carries its lease and knows when it is done. */
    interface Leased<S> {
        Lease lease();

        S withLease(Lease lease);

        boolean finished();
    }

    /** How often progress (a file copied, a page hashed) is written at most. */
    private static final Duration WRITE_EVERY = Duration.ofSeconds(5);

    private final WorkBucket work;
    private final String key;
    private final Clock clock;
    private final Duration leaseLength;
    private final String owner = UUID.randomUUID().toString();
    private S state;
    private String etag;
    private long lastWriteNanos;
    private boolean dirty;
    private boolean holding = true;
    private volatile boolean lost;

    private Checkpoint(WorkBucket work, String key, Clock clock, Duration leaseLength, S state, String etag) {
        this.work = work;
        this.key = key;
        this.clock = clock;
        this.leaseLength = leaseLength;
        this.state = state;
        this.etag = etag;
    }

    /** The document with this invocation holding its lease; empty when it is finished, or someone holds an unexpired lease or takes it first. */
    static <S extends Leased<S>> Optional<Checkpoint<S>> acquire(WorkBucket work, String key, WorkBucket.Versioned<S> read, Clock clock,
                                                                Duration leaseLength) {
        S state = read.value();
        if (state.finished() || state.lease() != null && state.lease().until().isAfter(clock.instant())) {
            return Optional.empty();
        }
        Checkpoint<S> checkpoint = new Checkpoint<>(work, key, clock, leaseLength, state, read.etag());
        try {
            checkpoint.write();
            return Optional.of(checkpoint);
        } catch (WorkBucket.ConcurrentUpdateException e) {
            return Optional.empty();
        }
    }

    synchronized S state() {
        return state;
    }

    boolean lost() {
        return lost;
    }

    /** Applies a change; written at once when {@code writeNow} says so of the states before and after, else with the next write due. */
    synchronized void update(UnaryOperator<S> change, BiPredicate<S, S> writeNow) {
        S before = state;
        state = change.apply(state);
        dirty = true;
        if (writeNow.test(before, state) || System.nanoTime() - lastWriteNanos >= WRITE_EVERY.toNanos()) {
            flush();
        }
    }

    /** Writes pending changes; throws ConcurrentUpdateException (and marks the lease lost) if someone else wrote. */
    synchronized void flush() {
        if (dirty && !lost) {
            write();
        }
    }

    /** The last write: the document as {@code finishing} makes it, with the lease given up. */
    synchronized void finish(UnaryOperator<S> finishing) {
        holding = false;
        state = finishing.apply(state);
        write();
    }

    /** Gives the lease back so the next invocation need not wait for it to expire. */
    synchronized void release() {
        if (lost || state.finished()) {
            return;
        }
        holding = false;
        write();
    }

    private void write() {
        state = state.withLease(holding ? new Lease(owner, clock.instant().plus(leaseLength)) : null);
        try {
            etag = work.replace(key, state, etag);
        } catch (WorkBucket.ConcurrentUpdateException e) {
            lost = true;
            throw e;
        }
        lastWriteNanos = System.nanoTime();
        dirty = false;
    }
}
