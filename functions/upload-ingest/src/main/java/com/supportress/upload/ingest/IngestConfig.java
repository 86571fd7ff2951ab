package com.supportress.upload.ingest;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * What UploadIngestFunction reads from its environment, in one place (names as template.yaml sets them).
 * {@code EXPECTED_BUCKET_OWNER} is the stack's account: every call to the second region's bucket names it, so S3
 * refuses the call should the bucket name ever belong to someone else. Multipart copies run
 * {@code COPY_CONCURRENCY} UploadPartCopy calls at once and stop starting parts when less than
 * {@code COPY_SAFETY_MARGIN_SECONDS} (plus the slowest part so far) of the invocation is left.
 */
public record IngestConfig(String uploadBucket, String replicaBucket, String replicaRegion, String expectedBucketOwner,
                           String queueUrl, int copyConcurrency, Duration copySafetyMargin) {

    static final int MAX_COPY_CONCURRENCY = 64;

    public IngestConfig {
        if (!expectedBucketOwner.matches("\\d{12}")) {
            throw new IllegalStateException("EXPECTED_BUCKET_OWNER must be the 12-digit account id of the stack: " + expectedBucketOwner);
        }
        if (copyConcurrency < 1 || copyConcurrency > MAX_COPY_CONCURRENCY) {
            throw new IllegalStateException("COPY_CONCURRENCY must be 1 to " + MAX_COPY_CONCURRENCY);
        }
        if (copySafetyMargin.isNegative() || copySafetyMargin.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException("COPY_SAFETY_MARGIN_SECONDS must be 0 to 300");
        }
    }

    public static IngestConfig from(FunctionEnvironment env) {
        return new IngestConfig(
                env.require("UPLOAD_BUCKET"),
                env.require("REPLICA_BUCKET"),
                env.require("REPLICA_REGION"),
                env.require("EXPECTED_BUCKET_OWNER"),
                env.require("UPLOAD_EVENTS_QUEUE_URL"),
                env.getInt("COPY_CONCURRENCY", 16),
                Duration.ofSeconds(env.getLong("COPY_SAFETY_MARGIN_SECONDS", 30)));
    }

    @Factory
    static class Beans {
        @Singleton
        IngestConfig ingestConfig(FunctionEnvironment environment) {
            return IngestConfig.from(environment);
        }
    }
}
