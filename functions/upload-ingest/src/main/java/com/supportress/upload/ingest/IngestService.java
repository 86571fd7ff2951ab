package com.supportress.upload.ingest;

import com.supportress.shared.log.LogContext;
import com.supportress.upload.store.FileTypes;
import com.supportress.upload.store.UploadKeys;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
import com.supportress.upload.store.UploadStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one uploaded object and replicates it. The object must have the declared size, start with the
 * magic number of the declared type and hash to the declared SHA-256 (when one was declared); a
 * mismatch moves it to the quarantine prefix. Every step can be repeated: a duplicate event or a retry
 * after a crash finds the work done (or half done) and finishes it, ending in one replica and one record.
 */
@Singleton
public class IngestService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    static final String QUARANTINE_REASON = "quarantine-reason";

    /** How one object ended. */
    public enum Outcome {
        REPLICATED, QUARANTINED, ALREADY_DONE, NOT_UPLOADED, IGNORED
    }

    private final S3Client s3;
    private final UploadStore store;
    private final Replicator replicator;
    private final ServerSideCopy copier;
    private final IngestConfig config;
    private final Clock clock;

    public IngestService(S3Client s3, UploadStore store, Replicator replicator, ServerSideCopy copier, IngestConfig config, Clock clock) {
        this.s3 = s3;
        this.store = store;
        this.replicator = replicator;
        this.copier = copier;
        this.config = config;
        this.clock = clock;
    }

    public Outcome ingest(String bucket, String key) {
        Optional<String> uploadId = UploadKeys.uploadIdOf(key);
        if (!bucket.equals(config.uploadBucket()) || uploadId.isEmpty()) {
            LOG.warn("ignoring an object outside the upload layout");
            return Outcome.IGNORED;
        }
        LogContext.put("uploadId", uploadId.get());
        Optional<UploadRecord> found = store.find(uploadId.get());
        if (found.isEmpty()) {
            // Only upload-api's presigned URLs write here, and it records first; an object without a record is suspect.
            Optional<HeadObjectResponse> stray = head(key);
            if (stray.isEmpty()) {
                return Outcome.IGNORED;
            }
            quarantineObject(key, "no upload record", stray);
            return Outcome.QUARANTINED;
        }
        UploadRecord upload = found.get();
        if (!upload.status().awaitsReplication()) {
            return finishEarlierOutcome(upload, key);
        }
        Optional<HeadObjectResponse> head = head(key);
        if (head.isEmpty()) {
            return recoverMissingObject(upload);
        }
        Optional<String> problem = check(upload, head.get());
        if (problem.isPresent()) {
            quarantine(upload, problem.get(), head);
            return Outcome.QUARANTINED;
        }
        String versionId = head.get().versionId();
        ObjectDigest digest;
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(r -> r.bucket(bucket).key(key).versionId(versionId))) {
            digest = ObjectDigest.of(body, replicator.digestPartSize(upload.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (upload.sha256().isPresent() && !upload.sha256().get().equals(digest.sha256())) {
            quarantine(upload, "SHA-256 does not match the declared one", head);
            return Outcome.QUARANTINED;
        }
        Instant arrivedAt = head.get().lastModified();
        if (!store.markStored(upload.uploadId(), digest.sha256(), arrivedAt)) {
            return Outcome.ALREADY_DONE; // aborted or finished by a concurrent delivery meanwhile
        }
        replicator.replicate(new ServerSideCopy.Source(bucket, key, versionId, upload.size()), digest);
        Instant now = clock.instant();
        long lagMillis = Math.max(0, Duration.between(arrivedAt, now).toMillis());
        store.markReplicated(upload.uploadId(), replicator.region(), now, lagMillis);
        LOG.info("upload replicated region={} lagMillis={}", replicator.region(), lagMillis);
        return Outcome.REPLICATED;
    }

    /** Size first (no read), then the magic number from a ranged read of the first bytes. */
    private Optional<String> check(UploadRecord upload, HeadObjectResponse head) {
        if (head.contentLength() != upload.size()) {
            return Optional.of("size " + head.contentLength() + " bytes does not match the declared " + upload.size());
        }
        byte[] first = s3.getObjectAsBytes(r -> r.bucket(config.uploadBucket()).key(upload.objectKey())
                .versionId(head.versionId()).range("bytes=0-" + (FileTypes.HEAD_BYTES - 1))).asByteArray();
        return FileTypes.mismatch(upload.contentType(), first);
    }

    private Outcome finishEarlierOutcome(UploadRecord upload, String key) {
        if (upload.status() == UploadStatus.FAILED) {
            // Aborted, yet bytes arrived (a PUT already in flight): they are not kept.
            head(key).ifPresent(object -> s3.deleteObject(r -> r.bucket(config.uploadBucket()).key(key).versionId(object.versionId())));
        }
        return Outcome.ALREADY_DONE;
    }

    /**
     * No object: either it was never uploaded, or an earlier attempt quarantined it and stopped before
     * recording that; the quarantined copy carries the reason, so the record can still be completed.
     */
    private Outcome recoverMissingObject(UploadRecord upload) {
        Optional<HeadObjectResponse> quarantined = head(UploadKeys.quarantineKey(upload.tenant(), upload.uploadId()));
        if (quarantined.isPresent()) {
            String reason = quarantined.get().metadata().getOrDefault(QUARANTINE_REASON, "failed a check");
            store.markQuarantined(upload.uploadId(), reason, clock.instant());
            return Outcome.QUARANTINED;
        }
        if (upload.expired(clock.instant())) {
            store.markFailed(upload.uploadId(), "never uploaded before the upload expired", clock.instant());
        }
        return Outcome.NOT_UPLOADED;
    }

    /** Copy aside (with the reason on the copy), delete the checked version, then record: each step safe to repeat. */
    private void quarantine(UploadRecord upload, String reason, Optional<HeadObjectResponse> head) {
        quarantineObject(upload.objectKey(), reason, head);
        store.markQuarantined(upload.uploadId(), reason, clock.instant());
    }

    private void quarantineObject(String key, String reason, Optional<HeadObjectResponse> head) {
        if (head.isEmpty()) {
            return;
        }
        String versionId = head.get().versionId();
        String target = UploadKeys.quarantineKeyOf(key);
        copier.copy(s3, new ServerSideCopy.Source(config.uploadBucket(), key, versionId, head.get().contentLength()),
                config.uploadBucket(), target, Map.of(QUARANTINE_REASON, reason));
        s3.deleteObject(r -> r.bucket(config.uploadBucket()).key(key).versionId(versionId));
        LOG.warn("upload quarantined: {}", reason);
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(s3, config.uploadBucket(), key);
    }
}
