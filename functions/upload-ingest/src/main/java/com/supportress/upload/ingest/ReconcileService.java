package com.supportress.upload.ingest;

import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.metrics.MetricUnit;
import com.supportress.upload.store.FinalStatusMetric;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
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
    /** The replication lag, written (EMF) on every round; UploadReplicationLagAlarm watches the first. */
    static final String OLDEST_LAG_METRIC = "OldestUnreplicatedSeconds";
    static final String LAGGING_METRIC = "LaggingObjects";

    /** How one round went: lagging objects, those re-driven (the others are leased by a worker), expired uploads; oldestLagSeconds is 0 when nothing lags. */
    @Serdeable
    public record Result(int lagging, int redriven, int expired, long oldestLagSeconds) {
    }

    private final UploadStore store;
    private final S3Client s3;
    private final UploadEventsQueue queue;
    private final ReconcileConfig config;
    private final Clock clock;
    private final EmbeddedMetrics metrics;
    private final FinalStatusMetric finalStatus;

    public ReconcileService(UploadStore store, S3Client s3, UploadEventsQueue queue, ReconcileConfig config, Clock clock,
                            EmbeddedMetrics metrics, FinalStatusMetric finalStatus) {
        this.store = store;
        this.s3 = s3;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.finalStatus = finalStatus;
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
                    finalStatus.reached(uploadId, UploadStatus.FAILED);
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
        // No dimensions: the lag alarm watches the stack's one series of each.
        metrics.entry()
                .value(OLDEST_LAG_METRIC, oldestLagSeconds, MetricUnit.SECONDS)
                .value(LAGGING_METRIC, lagging, MetricUnit.COUNT)
                .emit();
        return new Result(lagging, redriven, expired, oldestLagSeconds);
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(s3, HeadObjectRequest.builder().bucket(config.uploadBucket()).key(key).build());
    }
}
