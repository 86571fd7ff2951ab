package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SqsEvents;
import com.supportress.upload.store.LeaseAttempt;
import com.supportress.upload.store.UploadStore;
import io.micronaut.context.ApplicationContext;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.supportress.upload.ingest.UploadFixture.MIB;
import static com.supportress.upload.ingest.UploadFixture.key;
import static com.supportress.upload.ingest.UploadFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: replication that outlasts an invocation or a worker, against the emulator. Uploads of a few
 * 5 MiB parts stand for large ones; the function's clock is moved by hand (and by part copies) to spend time
 * budgets and expire leases; a worker is "killed" by freezing its part copies mid-copy.
 */
class ResumableReplicationIT {

    private EmulatedStack stack;
    private MutableClock clock;
    private UploadFixture uploads;

    @BeforeEach
    void standUpStack() {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        stack = EmulatedStack.create(Map.of());
        clock = new MutableClock(Instant.now());
        uploads = new UploadFixture(stack, clock, UploadIngestIT.SMALL_PARTS);
    }

    @AfterEach
    void close() {
        uploads.close();
    }

    @Test
    void aKilledWorkersCopyIsWaitedForThenResumedFromItsCheckpointIntoOneVerifiedReplica() throws Exception {
        byte[] file = text(16 * MIB);
        String uploadId = uploads.multipartUpload("log.txt", "text/plain", file);
        List<Message> delivery = oneObjectEvent();
        ReplicaRequests.KillAfterParts kill = new ReplicaRequests.KillAfterParts(2);
        UploadIngestHandler first = uploads.ingestHandler(Map.of("COPY_CONCURRENCY", "4"), kill);
        CompletableFuture<SQSBatchResponse> killed = CompletableFuture.supplyAsync(() -> first.handleRequest(SqsEvents.of(delivery), null));
        try {
            assertTrue(kill.awaitFrozen(), "the first worker reached its third part");
            String copy = awaitCheckpointWithParts(uploadId, 2);

            // A duplicate delivery meets the live lease: no request to the replica at all, and the message returns later.
            ReplicaRequests.Counter second = new ReplicaRequests.Counter();
            try (UploadIngestHandler duplicate = uploads.ingestHandler(Map.of(), second)) {
                assertEquals(1, duplicate.handleRequest(SqsEvents.of(delivery), null).getBatchItemFailures().size());
            }
            assertEquals(0, second.total());
            assertEquals(List.of(copy), openCopies(uploadId), "the live copy is not aborted");
            assertEquals(2, uploads.replicaS3().listParts(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId)).uploadId(copy)).parts().size());

            // Once the dead worker's lease has expired, the next delivery resumes its copy.
            clock.advance(Duration.ofMinutes(16));
            ReplicaRequests.Counter third = new ReplicaRequests.Counter();
            try (UploadIngestHandler resumed = uploads.ingestHandler(Map.of(), third)) {
                assertEquals(List.of(), resumed.handleRequest(SqsEvents.of(delivery), null).getBatchItemFailures());
            }
            assertEquals(2, third.count("UploadPartCopy"), "only the two parts the killed worker had not copied");
            assertEquals(0, third.count("CreateMultipartUpload"));
            assertEquals(0, third.count("AbortMultipartUpload"));
            assertReplicated(uploadId, file);
        } finally {
            kill.wake();
        }
        // Should the killed worker ever wake, it finds its lease gone and leaves the replica alone.
        assertEquals(1, killed.get(30, TimeUnit.SECONDS).getBatchItemFailures().size());
        first.close();
        assertReplicated(uploadId, file);
    }

    @Test
    void aCopyThatOutlastsItsInvocationIsCheckpointedAndContinuedByTheNextMessage() throws Exception {
        byte[] file = text(11 * MIB);
        String uploadId = uploads.multipartUpload("log.txt", "text/plain", file);
        List<Message> delivery = oneObjectEvent();
        ReplicaRequests.Counter requests = new ReplicaRequests.Counter();
        // Five-minute invocations, one part at a time, each part taking 100 s: two parts fit before the 30 s margin.
        try (UploadIngestHandler ingest = uploads.ingestHandler(Map.of("COPY_CONCURRENCY", "1"), requests,
                new ReplicaRequests.SlowParts(clock, Duration.ofSeconds(100)))) {
            assertEquals(List.of(), ingest.handleRequest(SqsEvents.of(delivery), lambda()).getBatchItemFailures());

            Map<String, AttributeValue> paused = uploads.item(uploadId);
            assertEquals("stored", paused.get("status").s());
            assertEquals("REPLICA", paused.get("copyTarget").s());
            assertEquals("2", paused.get("copyPartsDone").n());
            assertFalse(paused.containsKey("leaseOwner"), "handed over: the lease is free for the next invocation");
            List<Message> continuation = uploads.receiveAll();
            assertEquals(1, continuation.size());
            assertTrue(continuation.get(0).body().contains("ObjectCreated:Continue"), continuation.get(0).body());

            assertEquals(List.of(), ingest.handleRequest(SqsEvents.of(continuation), lambda()).getBatchItemFailures());
        }
        assertEquals(3, requests.count("UploadPartCopy"));
        assertEquals(1, requests.count("CreateMultipartUpload"));
        assertReplicated(uploadId, file);
        assertFalse(uploads.item(uploadId).containsKey("copyUploadId"), "the finished copy's checkpoint is dropped");
    }

    @Test
    void anUnfinishedCopyLeftBeforeItsCheckpointIsAbortedAndTheReplicaCompletes() throws Exception {
        byte[] file = text(11 * MIB);
        String uploadId = uploads.multipartUpload("log.txt", "text/plain", file);
        // What a crash between CreateMultipartUpload and saving the checkpoint leaves: an open copy nobody knows of.
        String orphan = uploads.replicaS3().createMultipartUpload(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId))).uploadId();
        uploads.replicaS3().uploadPartCopy(r -> r.sourceBucket(uploads.bucket()).sourceKey(key(uploadId)).copySourceRange("bytes=0-" + (5 * MIB - 1))
                .destinationBucket(uploads.replicaBucket()).destinationKey(key(uploadId)).uploadId(orphan).partNumber(1));

        try (UploadIngestHandler ingest = uploads.ingestHandler(Map.of())) {
            assertEquals(List.of(), uploads.ingestQueued(ingest));
        }

        assertEquals(List.of(), openCopies(uploadId));
        assertReplicated(uploadId, file);
    }

    @Test
    void theReconcilerCountsButDoesNotRedriveAnObjectWhoseLeaseIsLive() throws Exception {
        String uploadId = uploads.putUpload("note.txt", "text/plain", text(100));
        uploads.receiveAll(); // its worker is busy elsewhere, as far as the reconciler can tell
        try (ApplicationContext ingest = stack.start("UploadIngestFunction", clock)) {
            LeaseAttempt lease = ingest.getBean(UploadStore.class).acquireLease(uploadId, "worker-1", clock.instant(),
                    clock.instant().plus(Duration.ofMinutes(20)));
            assertInstanceOf(LeaseAttempt.Acquired.class, lease);
        }
        clock.advance(Duration.ofMinutes(16));

        ReconcileService.Result leased = reconcile();
        assertEquals(1, leased.lagging());
        assertEquals(0, leased.redriven());
        assertTrue(uploads.receiveAll().isEmpty());

        clock.advance(Duration.ofMinutes(5));
        ReconcileService.Result expired = reconcile();
        assertEquals(1, expired.redriven());
        assertEquals(1, uploads.receiveAll().size());
    }

    /** The upload's ObjectCreated event, alone: moto announces a completed multipart upload twice, S3 once. */
    private List<Message> oneObjectEvent() {
        return uploads.receiveAll().stream().filter(message -> message.body().contains("ObjectCreated")).limit(1).toList();
    }

    private ReconcileService.Result reconcile() {
        try (UploadReconcileHandler reconcile = new UploadReconcileHandler(stack.start("UploadReconcileFunction", clock))) {
            return reconcile.handleRequest(SampleEvents.load("upload-ingest/reconcile-schedule.json", ScheduleEvent.class), null);
        }
    }

    private static LocalLambdaContext lambda() {
        return LocalLambdaContext.forFunction("UploadIngestFunction", Duration.ofMinutes(5));
    }

    /** The checkpointed copy's S3 upload id, once S3 holds at least this many of its parts. */
    private String awaitCheckpointWithParts(String uploadId, int parts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            AttributeValue copy = uploads.item(uploadId).get("copyUploadId");
            if (copy != null && uploads.replicaS3().listParts(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId))
                    .uploadId(copy.s())).parts().size() >= parts) {
                return copy.s();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpointed copy with " + parts + " parts");
    }

    private List<String> openCopies(String uploadId) {
        return uploads.replicaS3().listMultipartUploads(r -> r.bucket(uploads.replicaBucket())).uploads().stream()
                .filter(upload -> upload.key().equals(key(uploadId))).map(MultipartUpload::uploadId).toList();
    }

    private void assertReplicated(String uploadId, byte[] file) throws Exception {
        assertEquals("replicated", uploads.item(uploadId).get("status").s());
        assertEquals(1, uploads.replicaVersions(uploadId), "one replica");
        assertEquals(List.of(), openCopies(uploadId));
        assertArrayEquals(file, uploads.replicaBytes(uploadId));
        String checksum = uploads.replicaS3().headObject(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId))
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumSHA256();
        assertEquals(UploadFixture.compositeSha256(file, 5 * MIB).split("-")[0], checksum.split("-")[0]);
    }
}
