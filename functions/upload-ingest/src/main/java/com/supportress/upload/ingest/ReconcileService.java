package com.supportress.upload.ingest;

import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStore;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The schedule's work: every stored object still without a verified replica after the allowed lag is
 * sent through the ingest queue again (the same path as its first event, so one code path does the
 * work), counted, and reported as a metric the lag alarm watches. Uploads whose bytes never arrived
 * are marked failed once their upload window has closed.
 */
@Singleton
public class ReconcileService {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileService.class);

    /** How one round went; oldestLagSeconds is 0 when nothing lags. */
    @Serdeable
    public record Result(int lagging, int redriven, int expired, long oldestLagSeconds) {
    }

    private final UploadStore store;
    private final S3Client s3;
    private final SqsClient sqs;
    private final ReconcileConfig config;
    private final Clock clock;

    public ReconcileService(UploadStore store, S3Client s3, SqsClient sqs, ReconcileConfig config, Clock clock) {
        this.store = store;
        this.s3 = s3;
        this.sqs = sqs;
        this.config = config;
        this.clock = clock;
    }

    public Result reconcile() {
        Instant now = clock.instant();
        int lagging = 0;
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
                redrive(upload.get().objectKey());
            }
        }
        LOG.info("replication reconciled lagging={} redriven={} expired={} oldestLagSeconds={}", lagging, lagging, expired, oldestLagSeconds);
        System.out.println(ReplicationLagMetric.emf(config.metricsNamespace(), now, lagging, oldestLagSeconds));
        return new Result(lagging, lagging, expired, oldestLagSeconds);
    }

    /** The message S3 itself would send, so the ingest function needs no second input format. */
    private void redrive(String key) {
        String encodedKey = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String body = "{\"Records\":[{\"eventSource\":\"supportress:reconcile\",\"eventName\":\"ObjectCreated:Redrive\","
                + "\"s3\":{\"bucket\":{\"name\":\"" + config.uploadBucket() + "\"},\"object\":{\"key\":\"" + encodedKey + "\"}}}]}";
        sqs.sendMessage(r -> r.queueUrl(config.queueUrl()).messageBody(body));
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(s3, config.uploadBucket(), key);
    }
}
