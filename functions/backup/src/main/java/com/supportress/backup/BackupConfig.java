package com.supportress.backup;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.regions.Region;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the backup functions read from their environment, in one place. BACKUP_TABLES is set in
 * template.yaml from the tables' own !Ref, and BackupTemplateTest fails when a table of the template is
 * missing from it, so the list cannot drift from the stack.
 *
 * @param workBucket             DynamoDB's raw exports, run checkpoints and proof progress (no Object Lock, expiring)
 * @param bucketOwner            the account owning every backup bucket, sent as ExpectedBucketOwner on each S3 call
 * @param copyMultipartBytes     files above this size are copied with UploadPartCopy (S3 copies at most 5 GiB at once)
 * @param copyPartBytes          part size of those copies; seal and cross-region copy use the same, so composite checksums compare
 * @param invocationBudget       how long a finisher or proof works when Lambda gives no deadline (the CLI, tests)
 * @param scanSegments           parallel Scan segments when the weekly proof reads a scratch table back
 */
public record BackupConfig(
        List<String> tables,
        String bucket,
        String replicaBucket,
        String workBucket,
        String bucketOwner,
        Region region,
        Region replicaRegion,
        RetentionPolicy retention,
        String scratchTablePrefix,
        long copyMultipartBytes,
        long copyPartBytes,
        int copyParallelism,
        Duration invocationBudget,
        int scanSegments) {

    private static final long MIB = 1024 * 1024;
    /** S3's limits: CopyObject takes at most 5 GiB, parts are at least 5 MiB and at most 5 GiB. */
    private static final long MAX_SINGLE_COPY = 5 * 1024 * MIB;
    private static final long MIN_PART = 5 * MIB;

    public BackupConfig {
        tables = List.copyOf(tables);
        if (region.equals(replicaRegion)) {
            throw new IllegalStateException("BACKUP_REPLICA_REGION must differ from the stack's region " + region);
        }
        if (!bucketOwner.matches("\\d{12}")) {
            throw new IllegalStateException("BACKUP_BUCKET_OWNER must be the 12-digit account id owning the backup buckets, not " + bucketOwner);
        }
        if (copyPartBytes < MIN_PART || copyPartBytes > MAX_SINGLE_COPY || copyMultipartBytes > MAX_SINGLE_COPY || copyMultipartBytes < copyPartBytes) {
            throw new IllegalStateException("copy sizes out of S3's limits: part " + copyPartBytes + " bytes (5 MiB to 5 GiB), multipart above "
                    + copyMultipartBytes + " bytes (at least one part, at most 5 GiB)");
        }
        if (copyParallelism < 1 || copyParallelism > 32 || scanSegments < 1 || scanSegments > 64) {
            throw new IllegalStateException("BACKUP_COPY_PARALLELISM must be 1 to 32 and BACKUP_SCAN_SEGMENTS 1 to 64");
        }
    }

    public static BackupConfig from(FunctionEnvironment env) {
        return new BackupConfig(
                Arrays.stream(env.get("BACKUP_TABLES", "").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
                env.require("BACKUP_BUCKET"),
                env.require("BACKUP_REPLICA_BUCKET"),
                env.require("BACKUP_WORK_BUCKET"),
                env.require("BACKUP_BUCKET_OWNER"),
                Region.of(env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "us-east-1"))),
                Region.of(env.require("BACKUP_REPLICA_REGION")),
                new RetentionPolicy(
                        env.getInt("BACKUP_KEEP_DAILY", 7),
                        env.getInt("BACKUP_KEEP_WEEKLY", 5),
                        env.getInt("BACKUP_KEEP_MONTHLY", 12)),
                env.get("RESTORE_SCRATCH_PREFIX", "verify-"),
                env.getLong("BACKUP_COPY_MULTIPART_MB", 5 * 1024) * MIB,
                env.getLong("BACKUP_COPY_PART_MB", 256) * MIB,
                env.getInt("BACKUP_COPY_PARALLELISM", 8),
                Duration.ofSeconds(env.getLong("BACKUP_INVOCATION_BUDGET_SECONDS", 780)),
                env.getInt("BACKUP_SCAN_SEGMENTS", 8));
    }

    /** The part size for a file: the configured size, larger when S3's 10,000-part limit needs it, in whole MiB. */
    long partSize(long fileBytes) {
        long needed = (fileBytes + 9_999) / 10_000;
        return Math.max(copyPartBytes, (needed + MIB - 1) / MIB * MIB);
    }

    boolean copiesInParts(long fileBytes) {
        return fileBytes > copyMultipartBytes;
    }

    @Factory
    static class Beans {
        @Singleton
        BackupConfig backupConfig(FunctionEnvironment environment) {
            return BackupConfig.from(environment);
        }
    }
}
