package com.supportress.upload.ingest;

import com.supportress.shared.log.LogContext;
import com.supportress.upload.store.CopyCheckpoint;
import com.supportress.upload.store.FileTypes;
import com.supportress.upload.store.FinalStatusMetric;
import com.supportress.upload.store.LeaseAttempt;
import com.supportress.upload.store.S3Checksums;
import com.supportress.upload.store.UploadKeys;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
import com.supportress.upload.store.UploadStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks one uploaded object and replicates it, under a lease on its upload record so that exactly one worker
 * handles an object at a time. The checks read no object bytes but the first 64: the size and the SHA-256 come
 * from S3's HEAD (S3 verified every byte against the declared checksum when it accepted the upload), the file type
 * from a ranged GET. A mismatch moves the object to the quarantine prefix. A copy that cannot finish in this
 * invocation is checkpointed on the record and handed to the next one through the queue. Every step can be
 * repeated: a duplicate event or a retry after a crash finds the work done (or half done) and finishes it,
 * ending in one replica and one record. Objects that appear at the key of a finished upload are removed
 * ({@link FinishedUploads}).
 */
@Singleton
public class IngestService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    static final String QUARANTINE_REASON = "quarantine-reason";
    /** Lambda ends an invocation at its deadline; past it (plus clock skew between hosts) the holder is surely gone. */
    static final Duration LEASE_SKEW = Duration.ofSeconds(30);

    /** How one object ended in this invocation. */
    public enum Outcome {
        REPLICATED, QUARANTINED, ALREADY_DONE, NOT_UPLOADED, IGNORED,
        /** Checkpointed and queued again: the next invocation goes on. */
        CONTINUED,
        /** Another worker holds the lease: nothing was done, the message comes back later. */
        LEASED_ELSEWHERE
    }

    private final UploadObjects objects;
    private final UploadStore store;
    private final Replicator replicator;
    private final ServerSideCopy copier;
    private final FinishedUploads finished;
    private final UploadEventsQueue queue;
    private final IngestConfig config;
    private final Clock clock;
    private final FinalStatusMetric finalStatus;

    public IngestService(UploadObjects objects, UploadStore store, Replicator replicator, ServerSideCopy copier,
                         FinishedUploads finished, UploadEventsQueue queue, IngestConfig config, Clock clock,
                         FinalStatusMetric finalStatus) {
        this.objects = objects;
        this.store = store;
        this.replicator = replicator;
        this.copier = copier;
        this.finished = finished;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
        this.finalStatus = finalStatus;
    }

    public Outcome ingest(String bucket, String key, InvocationBudget budget) {
        Optional<String> uploadId = UploadKeys.uploadIdOf(key);
        if (!bucket.equals(config.uploadBucket()) || uploadId.isEmpty()) {
            LOG.warn("ignoring an object outside the upload layout");
            return Outcome.IGNORED;
        }
        LogContext.put("uploadId", uploadId.get());
        String owner = UUID.randomUUID().toString();
        LeaseAttempt attempt = store.acquireLease(uploadId.get(), owner, clock.instant(), budget.deadline().plus(LEASE_SKEW));
        return switch (attempt) {
            case LeaseAttempt.NoUpload ignored -> quarantineStray(key, budget);
            case LeaseAttempt.Held held -> {
                LOG.info("another worker holds the upload until {}; the message returns later", held.until());
                yield Outcome.LEASED_ELSEWHERE;
            }
            case LeaseAttempt.Acquired acquired -> underLease(acquired, owner, key, budget);
        };
    }

    private Outcome underLease(LeaseAttempt.Acquired lease, String owner, String key, InvocationBudget budget) {
        UploadRecord upload = lease.upload();
        Outcome outcome = null;
        try {
            ServerSideCopy.Checkpoints checkpoints = checkpoint -> store.saveCheckpoint(upload.uploadId(), owner, checkpoint);
            outcome = upload.status().awaitsReplication()
                    ? ingest(upload, lease.checkpoint(), checkpoints, budget)
                    : finished.closeOut(upload, lease.checkpoint(), checkpoints, budget);
            return outcome;
        } finally {
            // After a failure the checkpoint stays for the retry; a finished copy's is dropped.
            store.releaseLease(upload.uploadId(), owner, outcome != null && outcome != Outcome.CONTINUED);
            if (outcome == Outcome.CONTINUED) {
                // A new message, not this one redelivered: it comes at once and does not count toward the dead-letter limit.
                queue.send(config.queueUrl(), config.uploadBucket(), key, UploadEventsQueue.Reason.CONTINUE);
            }
        }
    }

    private Outcome ingest(UploadRecord upload, Optional<CopyCheckpoint> checkpoint, ServerSideCopy.Checkpoints checkpoints,
                           InvocationBudget budget) {
        Optional<HeadObjectResponse> head = objects.head(upload.objectKey());
        if (head.isEmpty() || UploadObjects.isClosingMarker(head.get())) {
            return recoverMissingObject(upload);
        }
        Optional<String> problem = check(upload, head.get());
        if (problem.isPresent()) {
            return quarantine(upload, head.get(), problem.get(), checkpoint, checkpoints, budget);
        }
        Instant arrivedAt = head.get().lastModified();
        if (!store.markStored(upload.uploadId(), head.get().versionId(), arrivedAt)) {
            return Outcome.ALREADY_DONE; // aborted meanwhile
        }
        ServerSideCopy.Source source = new ServerSideCopy.Source(config.uploadBucket(), upload.objectKey(), head.get().versionId(),
                head.get().contentLength());
        ServerSideCopy.Result copy = replicator.replicate(upload, source, upload.expectedChecksum().orElseThrow(), checkpoint,
                checkpoints, budget);
        if (copy instanceof ServerSideCopy.Result.Paused) {
            return Outcome.CONTINUED;
        }
        Instant now = clock.instant();
        long lagMillis = Math.max(0, Duration.between(arrivedAt, now).toMillis());
        if (store.markReplicated(upload.uploadId(), replicator.region(), now, lagMillis)) {
            finalStatus.reached(upload.uploadId(), UploadStatus.REPLICATED);
        }
        LOG.info("upload replicated region={} lagMillis={}", replicator.region(), lagMillis);
        return Outcome.REPLICATED;
    }

    /**
     * Size and checksum from the HEAD, then the magic number from the first bytes. The checksum must be the one the
     * client declared: S3 refused any other bytes at upload, so a mismatch means the object did not come through
     * this upload's URLs.
     */
    private Optional<String> check(UploadRecord upload, HeadObjectResponse head) {
        if (head.contentLength() != upload.size()) {
            return Optional.of("size " + head.contentLength() + " bytes does not match the declared " + upload.size());
        }
        if (upload.expectedChecksum().isEmpty()) {
            return Optional.of("no SHA-256 was declared for the object (not completed through the API)");
        }
        if (head.checksumSHA256() == null) {
            return Optional.of("S3 holds no SHA-256 for the object (not written through its presigned URL)");
        }
        if (!S3Checksums.same(upload.expectedChecksum().get(), head.checksumSHA256())) {
            return Optional.of("SHA-256 does not match the declared one");
        }
        return FileTypes.mismatch(upload.contentType(), objects.firstBytes(upload.objectKey(), head.versionId()));
    }

    /**
     * No object at the key (or only the closing marker): either it was never uploaded, or an earlier attempt
     * quarantined it and stopped before recording that; the quarantined copy carries the reason.
     */
    private Outcome recoverMissingObject(UploadRecord upload) {
        Optional<HeadObjectResponse> quarantined = objects.head(UploadKeys.quarantineKey(upload.tenant(), upload.uploadId()));
        if (quarantined.isPresent()) {
            String reason = quarantined.get().metadata().getOrDefault(QUARANTINE_REASON, "failed a check");
            finished.removeAllBut(upload.objectKey(), Optional.empty());
            recordQuarantined(upload, reason);
            return Outcome.QUARANTINED;
        }
        if (upload.expired(clock.instant()) && store.markFailed(upload.uploadId(), "never uploaded before the upload expired", clock.instant())) {
            finalStatus.reached(upload.uploadId(), UploadStatus.FAILED);
        }
        return Outcome.NOT_UPLOADED;
    }

    /**
     * Copy aside (with the reason on the copy), close the key, delete the checked version, then record: each step
     * safe to repeat, and a large copy resumable like a replica's.
     */
    private Outcome quarantine(UploadRecord upload, HeadObjectResponse head, String reason, Optional<CopyCheckpoint> checkpoint,
                               ServerSideCopy.Checkpoints checkpoints, InvocationBudget budget) {
        if (finished.moveAside(upload, upload.objectKey(), head.versionId(), head.contentLength(), reason, checkpoint, checkpoints, budget)
                instanceof ServerSideCopy.Result.Paused) {
            return Outcome.CONTINUED;
        }
        objects.close(upload.objectKey(), "quarantined");
        finished.removeAllBut(upload.objectKey(), Optional.empty());
        recordQuarantined(upload, reason);
        LOG.warn("upload quarantined: {}", reason);
        return Outcome.QUARANTINED;
    }

    private void recordQuarantined(UploadRecord upload, String reason) {
        if (store.markQuarantined(upload.uploadId(), reason, clock.instant())) {
            finalStatus.reached(upload.uploadId(), UploadStatus.QUARANTINED);
        }
    }

    /**
     * An object without an upload record: only upload-api's presigned URLs write here, and it records first, so the
     * object is suspect. With no record there is no lease and no checkpoint: the copy aside must fit this invocation.
     */
    private Outcome quarantineStray(String key, InvocationBudget budget) {
        Optional<HeadObjectResponse> stray = objects.head(key);
        if (stray.isEmpty()) {
            return Outcome.IGNORED;
        }
        String versionId = stray.get().versionId();
        ServerSideCopy.Source source = new ServerSideCopy.Source(config.uploadBucket(), key, versionId, stray.get().contentLength());
        ServerSideCopy.Destination aside = FinishedUploads.quarantineDestination(objects, key, "application/octet-stream",
                Map.of(QUARANTINE_REASON, "no upload record"));
        if (copier.copy(source, aside, CopyLayout.forSize(source.size()), Optional.empty(), c -> true, budget)
                instanceof ServerSideCopy.Result.Paused) {
            throw new IllegalStateException("a stray object of " + source.size() + " bytes could not be copied aside in one invocation");
        }
        objects.deleteVersion(key, versionId);
        LOG.warn("upload quarantined: no upload record");
        return Outcome.QUARANTINED;
    }
}
