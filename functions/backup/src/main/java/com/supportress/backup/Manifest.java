package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one backup run holds, written last: a run without a manifest is not a backup. It names every file
 * with its size and SHA-256, and every table with what a restore needs to recreate it.
 */
@Serdeable
public record Manifest(int formatVersion, String runId, String region, Instant startedAt, Instant finishedAt, List<TableBackup> tables) {

    public static final int FORMAT_VERSION = 1;

    public Optional<TableBackup> table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst();
    }

    @Serdeable
    public record TableBackup(
            String table,
            List<KeyAttribute> keySchema,
            List<Index> globalSecondaryIndexes,
            List<Index> localSecondaryIndexes,
            boolean pointInTimeRecovery,
            long itemCount,
            long bytes,
            String contentHash,
            List<BackupFile> files) {

        public TableBackup {
            // The JSON mapper leaves empty lists out; absent means none.
            globalSecondaryIndexes = globalSecondaryIndexes == null ? List.of() : globalSecondaryIndexes;
            localSecondaryIndexes = localSecondaryIndexes == null ? List.of() : localSecondaryIndexes;
            files = files == null ? List.of() : files;
        }
    }

    /** A key attribute with its scalar type (S, N or B), enough to recreate the key schema. */
    @Serdeable
    public record KeyAttribute(String name, String keyType, String attributeType) {
    }

    @Serdeable
    public record Index(String name, List<KeyAttribute> keySchema, String projectionType, List<String> nonKeyAttributes) {

        public Index {
            nonKeyAttributes = nonKeyAttributes == null ? List.of() : nonKeyAttributes;
        }
    }

    @Serdeable
    public record BackupFile(String key, long items, long bytes, String sha256) {
    }
}
