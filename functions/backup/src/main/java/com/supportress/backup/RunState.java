package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The checkpoint of one backup run ({@code state/<runId>.json} in the working bucket): per table how far
 * it got and, per file, whether it is sealed (copied into the backup bucket with S3's SHA-256) and copied
 * to the second region. A finisher can stop at any moment; the next one reads this and continues.
 *
 * @param lease the finisher working on the run and until when; another finisher waits until it expires
 */
@Serdeable
public record RunState(String runId, Instant startedAt, List<TableState> tables, Checkpoint.Lease lease, Instant finishedAt)
        implements Checkpoint.Leased<RunState> {

    public RunState {
        tables = List.copyOf(tables);
    }

    @Override
    public boolean finished() {
        return finishedAt != null;
    }

    boolean settled() {
        return tables.stream().allMatch(t -> t.status().settled());
    }

    RunState withTable(String table, UnaryOperator<TableState> change) {
        List<TableState> changed = new ArrayList<>(tables);
        changed.replaceAll(t -> t.table().equals(table) ? change.apply(t) : t);
        return new RunState(runId, startedAt, changed, lease, finishedAt);
    }

    @Override
    public RunState withLease(Checkpoint.Lease newLease) {
        return new RunState(runId, startedAt, tables, newLease, finishedAt);
    }

    TableState table(String table) {
        return tables.stream().filter(t -> t.table().equals(table)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("run " + runId + " has no table " + table));
    }

    RunState finishedAt(Instant at) {
        return new RunState(runId, startedAt, tables, null, at);
    }

    /**
     * One table of the run. The key schema and indexes are read when the export starts, so the manifest
     * describes the table as it was exported.
     *
     * @param attempts consecutive failed attempts of the current step; three settle the table as failed
     */
    @Serdeable
    public record TableState(
            String table,
            String tableArn,
            List<Manifest.KeyAttribute> keySchema,
            List<Manifest.Index> globalSecondaryIndexes,
            List<Manifest.Index> localSecondaryIndexes,
            boolean pointInTimeRecovery,
            String nativeBackupArn,
            String nativeBackupError,
            String exportArn,
            Instant exportTime,
            Long itemCount,
            TableStatus status,
            List<FileState> files,
            int attempts,
            String error,
            Instant verifiedAt) {

        public TableState {
            keySchema = keySchema == null ? List.of() : List.copyOf(keySchema);
            globalSecondaryIndexes = globalSecondaryIndexes == null ? List.of() : List.copyOf(globalSecondaryIndexes);
            localSecondaryIndexes = localSecondaryIndexes == null ? List.of() : List.copyOf(localSecondaryIndexes);
            files = files == null ? List.of() : List.copyOf(files);
        }

        /** A table whose export never started: only its native backup (if any) exists for this run. */
        static TableState failedToStart(String table, String nativeBackupArn, String nativeBackupError, String error) {
            return new TableState(table, null, null, null, null, false, nativeBackupArn, nativeBackupError, null, null, null,
                    TableStatus.FAILED, null, 0, error, null);
        }

        TableState exported(Instant at, long items, List<FileState> exportedFiles) {
            return new TableState(table, tableArn, keySchema, globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery,
                    nativeBackupArn, nativeBackupError, exportArn, at, items, TableStatus.SEALING, exportedFiles, 0, null, null);
        }

        TableState withFile(FileState file) {
            List<FileState> changed = new ArrayList<>(files);
            changed.replaceAll(f -> f.name().equals(file.name()) ? file : f);
            return new TableState(table, tableArn, keySchema, globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery,
                    nativeBackupArn, nativeBackupError, exportArn, exportTime, itemCount, status, changed, 0, null, verifiedAt);
        }

        TableState withStatus(TableStatus next, Instant at) {
            return new TableState(table, tableArn, keySchema, globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery,
                    nativeBackupArn, nativeBackupError, exportArn, exportTime, itemCount, next, files, 0, null,
                    next == TableStatus.VERIFIED ? at : verifiedAt);
        }

        /** A step failed: counted, and the table settles as failed (or complete in the stack's region only) at the third. */
        TableState failedAttempt(String message, int allowed) {
            int tries = attempts + 1;
            TableStatus next = tries < allowed ? status : status == TableStatus.REPLICATING ? TableStatus.PRIMARY_ONLY : TableStatus.FAILED;
            return new TableState(table, tableArn, keySchema, globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery,
                    nativeBackupArn, nativeBackupError, exportArn, exportTime, itemCount, next, files, next.settled() ? 0 : tries, message, verifiedAt);
        }

        TableState failed(String message) {
            return new TableState(table, tableArn, keySchema, globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery,
                    nativeBackupArn, nativeBackupError, exportArn, exportTime, itemCount,
                    status == TableStatus.REPLICATING ? TableStatus.PRIMARY_ONLY : TableStatus.FAILED, files, 0, message, verifiedAt);
        }

        TableManifest manifest(String runId) {
            List<TableManifest.BackupFile> backupFiles = files.stream()
                    .map(f -> new TableManifest.BackupFile(BackupStore.dataPrefix(runId, table) + f.name(), f.bytes(), f.items(), f.sha256(), f.partSize()))
                    .toList();
            return new TableManifest(Manifest.FORMAT_VERSION, runId, table, tableArn, exportArn, exportTime, keySchema,
                    globalSecondaryIndexes, localSecondaryIndexes, pointInTimeRecovery, itemCount == null ? 0 : itemCount,
                    files.stream().mapToLong(FileState::bytes).sum(), backupFiles);
        }

        Manifest.TableResult result() {
            return new Manifest.TableResult(table, status, itemCount, nativeBackupArn, error);
        }
    }

    /**
     * One file of a table's export. {@code name} is its name below the table's data prefix, {@code exportKey}
     * where DynamoDB wrote it in the working bucket.
     */
    @Serdeable
    public record FileState(String name, String exportKey, long bytes, Long items, String etag, String sha256, long partSize,
                            boolean sealed, boolean replicated) {

        FileState sealedWith(String checksum, long parts) {
            return new FileState(name, exportKey, bytes, items, etag, checksum, parts, true, false);
        }

        FileState replicatedCopy() {
            return new FileState(name, exportKey, bytes, items, etag, sha256, partSize, true, true);
        }
    }
}
