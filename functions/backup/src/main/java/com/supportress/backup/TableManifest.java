package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One table's backup in one bucket, written once all its files are there with the SHA-256 S3 computed:
 * no table manifest, no backup of that table. It names every file with its size, item count (when
 * DynamoDB's export manifest gave one) and checksum, and what a restore needs to recreate the table.
 *
 * @param exportTime when DynamoDB took the snapshot (the export's point in time), when it said
 * @param itemCount  DynamoDB's own count of the exported items
 */
@Serdeable
public record TableManifest(
        int formatVersion,
        String runId,
        String table,
        String tableArn,
        String exportArn,
        Instant exportTime,
        List<Manifest.KeyAttribute> keySchema,
        List<Manifest.Index> globalSecondaryIndexes,
        List<Manifest.Index> localSecondaryIndexes,
        boolean pointInTimeRecovery,
        long itemCount,
        long bytes,
        List<BackupFile> files) {

    public TableManifest {
        // The JSON mapper leaves empty lists out; absent means none.
        globalSecondaryIndexes = globalSecondaryIndexes == null ? List.of() : globalSecondaryIndexes;
        localSecondaryIndexes = localSecondaryIndexes == null ? List.of() : localSecondaryIndexes;
        files = files == null ? List.of() : files;
    }

    /** Where the table's files live in a backup bucket: exactly these files, which is what ImportTable reads. */
    public String dataPrefix() {
        return BackupStore.dataPrefix(runId, table);
    }

    /**
     * One gzip file of DynamoDB JSON lines. {@code sha256} is S3's base64 checksum: of the whole file when
     * it was copied in one CopyObject ({@code partSize} 0), else S3's composite over parts of {@code partSize}
     * bytes. {@code items} is absent when the export had no files manifest (the emulator writes none).
     */
    @Serdeable
    public record BackupFile(String key, long bytes, Long items, String sha256, long partSize) {
    }
}
