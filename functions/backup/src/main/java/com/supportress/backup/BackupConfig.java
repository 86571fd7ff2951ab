package com.supportress.backup;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.regions.Region;

import java.util.Arrays;
import java.util.List;

/**
 * Everything the backup functions read from their environment, in one place. BACKUP_TABLES is set in
 * template.yaml from the tables' own !Ref, and BackupTemplateTest fails when a table of the template is
 * missing from it, so the list cannot drift from the stack.
 */
public record BackupConfig(
        List<String> tables,
        String bucket,
        String replicaBucket,
        Region region,
        Region replicaRegion,
        int scanSegments,
        long maxFileBytes,
        RetentionPolicy retention,
        String scratchTablePrefix) {

    public BackupConfig {
        tables = List.copyOf(tables);
        if (scanSegments < 1 || scanSegments > 64) {
            throw new IllegalStateException("BACKUP_SCAN_SEGMENTS must be 1 to 64, not " + scanSegments);
        }
        if (region.equals(replicaRegion)) {
            throw new IllegalStateException("BACKUP_REPLICA_REGION must differ from the stack's region " + region);
        }
    }

    public static BackupConfig from(FunctionEnvironment env) {
        return new BackupConfig(
                Arrays.stream(env.get("BACKUP_TABLES", "").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
                env.require("BACKUP_BUCKET"),
                env.require("BACKUP_REPLICA_BUCKET"),
                Region.of(env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "us-east-1"))),
                Region.of(env.require("BACKUP_REPLICA_REGION")),
                env.getInt("BACKUP_SCAN_SEGMENTS", 4),
                // Files roll over at this size so every file stays far below the 5 GiB limit of a single CopyObject.
                env.getLong("BACKUP_MAX_FILE_MB", 1024) * 1024 * 1024,
                new RetentionPolicy(
                        env.getInt("BACKUP_KEEP_DAILY", 7),
                        env.getInt("BACKUP_KEEP_WEEKLY", 5),
                        env.getInt("BACKUP_KEEP_MONTHLY", 12)),
                env.get("RESTORE_SCRATCH_PREFIX", "verify-"));
    }

    @Factory
    static class Beans {
        @Singleton
        BackupConfig backupConfig(FunctionEnvironment environment) {
            return BackupConfig.from(environment);
        }
    }
}
