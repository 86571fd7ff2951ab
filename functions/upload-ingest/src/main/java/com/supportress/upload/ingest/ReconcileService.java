package com.supportress.upload.ingest;

import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStore;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The schedule's work: every stored object still without a verified replica after the allowed lag is
 * counted, reported as a metric the lag alarm watches, and sent through the ingest queue again (the same
 * path as its first event, so one code path does the work) unless a worker holds its lease: a live lease
 * means a copy is under way, and its holder hands what it cannot finish to the next invocation itself.
 * Uploads whose bytes never arrived are marked failed once their upload window has closed.
 */
@Singleton
public class ReconcileService {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileService.class);

    /** How one round went: lagging objects, those re-driven (the others are leased by a worker), expired uploads; oldestLagSeconds is 0 when nothing lags. */
    @Serdeable
    public record Result(int lagging, int redriven, int expired, long oldestLagSeconds) {
    }

    private final UploadStore store;
    private final S3Client s3;
    private final UploadEventsQueue queue;
    private final ReconcileConfig config;
    private final Clock clock;

    public ReconcileService(UploadStore store, S3Client s3, UploadEventsQueue queue, ReconcileConfig config, Clock clock) {
        this.store = store;
        this.s3 = s3;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
    }

    public Result reconcile() {
        Instant now = clock.instant();
        int lagging = 0;
        int redriven = 0;
        int expired = 0;
        long oldestLagSeconds = 0;
        for (String uploadId : store.awaitingReplicationCreatedBefore(now.minus(config.maxLag()))) {
            Optional<UploadRecord> upload = store.find(uploadId).filter(found -> found.status().awaitsReplication());
            if (upload.isEmpty()) {
                continue;
            }
            Optional<HeadObjectResponse> object = head(upload.get().objectKey());
            if (object.isEmpty()) {
                if (upload.get().expired(now) && store.markFailed(uploadId, "never uploaded before the upload expired", now)) {
                    expired++;
                }
                continue;
            }
            Duration lag = Duration.between(object.get().lastModified(), now);
            if (lag.compareTo(config.maxLag()) > 0) {
                lagging++;
                oldestLagSeconds = Math.max(oldestLagSeconds, lag.toSeconds());
                if (store.leaseExpiry(uploadId).filter(now::isBefore).isEmpty()) {
                    queue.send(config.queueUrl(), config.uploadBucket(), upload.get().objectKey(), UploadEventsQueue.Reason.REDRIVE);
                    redriven++;
                }
            }
        }
        LOG.info("replication reconciled lagging={} redriven={} expired={} oldestLagSeconds={}", lagging, redriven, expired, oldestLagSeconds);
        System.out.println(ReplicationLagMetric.emf(config.metricsNamespace(), now, lagging, oldestLagSeconds));
        return new Result(lagging, redriven, expired, oldestLagSeconds);
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(s3, HeadObjectRequest.builder().bucket(config.uploadBucket()).key(key).build());
    }
}
