package com.supportress.backup;

import com.supportress.shared.log.LogContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One daily backup run: every table to S3 with a manifest written last, DynamoDB's own backup of each
 * table, a copy of the run in the second region checked file by file, then pruning. Pruning runs only
 * after everything else succeeded, so a failing run never removes an older good backup.
 */
@Singleton
public class BackupService {

    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

    private final DynamoDbClient dynamoDb;
    private final BackupStore primary;
    private final BackupStore replica;
    private final BackupConfig config;
    private final Clock clock;
    private final NativeBackups nativeBackups;

    public BackupService(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.primary = stores.primary();
        this.replica = stores.replica();
        this.config = config;
        this.clock = clock;
        this.nativeBackups = new NativeBackups(dynamoDb);
    }

    public BackupReport run() {
        Instant startedAt = clock.instant();
        String runId = BackupStore.newRunId(startedAt);
        LogContext.put("backupRunId", runId);
        if (config.tables().isEmpty()) {
            throw new BackupFailedException("BACKUP_TABLES is empty: nothing would be backed up");
        }
        TableExporter exporter = new TableExporter(dynamoDb, primary.s3(), primary.bucket(), config.scanSegments(), config.maxFileBytes());
        List<Manifest.TableBackup> tables = new ArrayList<>();
        for (String table : config.tables()) {
            Manifest.TableBackup backup = exporter.export(runId, table);
            LOG.info("table {} backed up: {} items, {} bytes in {} files", table, backup.itemCount(), backup.bytes(), backup.files().size());
            tables.add(backup);
        }
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, runId, config.region().id(), startedAt, clock.instant(), tables);
        primary.writeManifest(manifest);

        int nativeCreated = nativeBackups.takeDaily(config.tables(), runId, clock.instant());
        replicate(manifest);

        Instant now = clock.instant();
        int runsPruned = prune(primary, now);
        int replicaRunsPruned = prune(replica, now);
        int nativePruned = nativeBackups.prune(config.tables(), config.retention(), now);

        List<String> withoutPitr = tables.stream().filter(t -> !t.pointInTimeRecovery()).map(Manifest.TableBackup::table).toList();
        if (!withoutPitr.isEmpty()) {
            // The backup itself is good and kept; failing the invocation raises the alarm about the missing protection.
            throw new BackupFailedException("point-in-time recovery is off for " + withoutPitr + " (backup run " + runId + " completed)");
        }
        BackupReport report = new BackupReport(runId, tables.size(),
                tables.stream().mapToLong(Manifest.TableBackup::itemCount).sum(),
                tables.stream().mapToLong(Manifest.TableBackup::bytes).sum(),
                tables.stream().mapToInt(t -> t.files().size()).sum(),
                config.replicaRegion().id(), nativeCreated, runsPruned, replicaRunsPruned, nativePruned);
        LOG.info("backup run {} complete: {} tables, {} items, {} bytes, copy verified in {}",
                runId, report.tables(), report.items(), report.bytes(), report.replicaRegion());
        return report;
    }

    /** Copies every file to the second region, reads each copy back to check its SHA-256, then copies the manifest. */
    private void replicate(Manifest manifest) {
        for (Manifest.TableBackup table : manifest.tables()) {
            for (Manifest.BackupFile file : table.files()) {
                replica.s3().copyObject(r -> r.sourceBucket(primary.bucket()).sourceKey(file.key())
                        .destinationBucket(replica.bucket()).destinationKey(file.key()));
                String actual = sha256(replica, file.key());
                if (!actual.equals(file.sha256())) {
                    throw new BackupFailedException("copy of " + file.key() + " in " + replica.region() + " has SHA-256 " + actual
                            + ", expected " + file.sha256() + "; run " + manifest.runId() + " is complete in " + primary.region() + " only");
                }
            }
        }
        replica.writeManifest(manifest);
    }

    private int prune(BackupStore store, Instant now) {
        Set<String> doomed = config.retention().toDelete(store.snapshots(), now);
        doomed.forEach(store::deleteRun);
        if (!doomed.isEmpty()) {
            LOG.info("pruned {} runs from {}: {}", doomed.size(), store.bucket(), doomed);
        }
        return doomed.size();
    }

    static String sha256(BackupStore store, String key) {
        MessageDigest digest = ItemHash.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = store.open(key)) {
            for (int read; (read = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " from " + store.bucket(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
