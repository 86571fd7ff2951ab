package com.supportress.upload.ingest;

import com.supportress.emulator.MutableClock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Test interceptors for the ingest function's client of the replica bucket, registered as beans of its context
 * (ReplicaBucket adds them after the owner guard): a count of requests by operation, a clock that moves as
 * parts are copied, and a worker frozen mid-copy, as if its process had been killed.
 */
final class ReplicaRequests {

    private ReplicaRequests() {
    }

    /** Counts every request the replica client sends, by operation (CreateMultipartUpload, UploadPartCopy, ...). */
    static final class Counter implements ExecutionInterceptor {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
            counts.computeIfAbsent(operation, name -> new AtomicInteger()).incrementAndGet();
        }

        int count(String operation) {
            AtomicInteger count = counts.get(operation);
            return count == null ? 0 : count.get();
        }

        int total() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Each part copy takes {@code perPart} on the function's clock: drives a copy through its time budget. */
    static final class SlowParts implements ExecutionInterceptor {
        private final MutableClock clock;
        private final Duration perPart;

        SlowParts(MutableClock clock, Duration perPart) {
            this.clock = clock;
            this.perPart = perPart;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartCopyRequest) {
                clock.advance(perPart);
            }
        }
    }

    /**
     * Lets the first {@code parts} part copies through and freezes every later one before it is sent: the worker
     * stops mid-copy without running any of its own clean-up, as a killed process would. {@link #wake()} interrupts
     * the frozen calls, which then fail.
     */
    static final class KillAfterParts implements ExecutionInterceptor {
        private final int parts;
        private final AtomicInteger started = new AtomicInteger();
        private final CountDownLatch frozen = new CountDownLatch(1);
        private final List<Thread> sleepers = new CopyOnWriteArrayList<>();

        KillAfterParts(int parts) {
            this.parts = parts;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartCopyRequest && started.incrementAndGet() > parts) {
                sleepers.add(Thread.currentThread());
                frozen.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.park(this);
                }
                throw new IllegalStateException("woken after the test ended");
            }
        }

        boolean awaitFrozen() throws InterruptedException {
            return frozen.await(30, TimeUnit.SECONDS);
        }

        void wake() {
            sleepers.forEach(Thread::interrupt);
        }
    }
}
