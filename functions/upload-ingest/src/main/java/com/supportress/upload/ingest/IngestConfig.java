package com.supportress.upload.ingest;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * What UploadIngestFunction reads from its environment, in one place (names as template.yaml sets them).
 * Objects up to the threshold are replicated with one CopyObject (S3 allows up to 5 GiB); larger ones with
 * UploadPartCopy in parts of the given size.
 */
public record IngestConfig(String uploadBucket, String replicaBucket, String replicaRegion,
                           long copyMultipartThresholdBytes, long copyPartSizeBytes) {

    static final long MIB = 1024L * 1024;
    static final long S3_MAX_COPY = 5 * 1024 * MIB;

    public IngestConfig {
        if (copyMultipartThresholdBytes < 1 || copyMultipartThresholdBytes > S3_MAX_COPY) {
            throw new IllegalStateException("COPY_MULTIPART_THRESHOLD_BYTES must be 1 to " + S3_MAX_COPY + " (CopyObject's limit)");
        }
        if (copyPartSizeBytes < 5 * MIB || copyPartSizeBytes > S3_MAX_COPY) {
            throw new IllegalStateException("COPY_PART_SIZE_BYTES must be " + 5 * MIB + " to " + S3_MAX_COPY + " (S3's part limits)");
        }
    }

    public static IngestConfig from(FunctionEnvironment env) {
        return new IngestConfig(
                env.require("UPLOAD_BUCKET"),
                env.require("REPLICA_BUCKET"),
                env.require("REPLICA_REGION"),
                env.getLong("COPY_MULTIPART_THRESHOLD_BYTES", S3_MAX_COPY),
                env.getLong("COPY_PART_SIZE_BYTES", 512 * MIB));
    }

    /** The copy's part size, grown in whole MiB so no object needs more than S3's 10,000 parts. */
    long copyPartSize(long objectSize) {
        long needed = (objectSize + 9_999) / 10_000;
        return Math.max(copyPartSizeBytes, (needed + MIB - 1) / MIB * MIB);
    }

    @Factory
    static class Beans {
        @Singleton
        IngestConfig ingestConfig(FunctionEnvironment environment) {
            return IngestConfig.from(environment);
        }
    }
}
