package com.supportress.backup;

import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.metrics.MetricUnit;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * Takes every open run further, on a schedule, from its checkpoint: waits for each table's export,
 * validates it, copies its files into the backup bucket (S3 computing each file's SHA-256), writes the
 * table's manifest, copies the files to the second region and checks each copy against that checksum,
 * writes the table's manifest there, and once every table of the run is settled, writes the run's
 * manifest in both regions and applies retention. Tables advance in parallel and independently: a slow,
 * huge or failing table holds back no other. Work stops before the invocation's deadline; the next
 * invocation continues where the checkpoint says.
 */
@Singleton
public class BackupFinisher {

    private static final Logger LOG = LoggerFactory.getLogger(BackupFinisher.class);
    /** Consecutive failures of a table's step before the table settles as failed (or complete in one region). */
    static final int ATTEMPTS = 3;
    /** An export still running this long after the run started will not make today's backup. */
    static final Duration EXPORT_TIMEOUT = Duration.ofHours(24);
    /** A run not settled by then is closed: what is left fails, so the run gets its manifest and retention sees it. */
    static final Duration RUN_TIMEOUT = Duration.ofDays(3);
    private static final int TABLE_WORKERS = 8;
    // Business metrics (EMF, namespace METRICS_NAMESPACE), by table: the items and bytes of each backup verified in
    // both regions, written once, by the finisher whose checkpoint recorded the table verified.
    static final String ITEMS_METRIC = "BackupItems";
    static final String BYTES_METRIC = "BackupBytes";

    @Serdeable
    public record RunProgress(String runId, boolean finished, List<Manifest.TableResult> tables) {
    }

    @Serdeable
    public record Report(List<RunProgress> runs, List<BackupAges.TableAge> ages, List<String> errors) {
    }

    private final DynamoDbClient dynamoDb;
    private final BackupStores stores;
    private final BackupConfig config;
    private final Clock clock;
    private final ObjectCopier copier;
    private final ExportFiles exportFiles;
    private final BackupAges ages;
    private final Retention retention;
    private final EmbeddedMetrics metrics;

    public BackupFinisher(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config, Clock clock, JsonMapper json,
                          EmbeddedMetrics metrics) {
        this.dynamoDb = dynamoDb;
        this.stores = stores;
        this.config = config;
        this.clock = clock;
        this.copier = new ObjectCopier(config);
        this.exportFiles = new ExportFiles(stores.work(), json);
        this.ages = new BackupAges(stores.work(), dynamoDb);
        this.retention = new Retention(stores, new NativeBackups(dynamoDb), config);
        this.metrics = metrics;
    }

    public Report finish(Deadline deadline) {
        List<String> errors = new ArrayList<>();
        List<Checkpoint<RunState>> held = new ArrayList<>();
        Set<String> open = new HashSet<>();
        Duration lease = deadline.remaining().plus(Deadline.MARGIN).plus(Duration.ofMinutes(1));
        for (String key : stores.work().keys("state/")) {
            Optional<WorkBucket.Versioned<RunState>> state = stores.work().read(key, RunState.class);
            if (state.isPresent() && !state.get().value().finished()) {
                open.add(state.get().value().runId());
                Checkpoint.acquire(stores.work(), key, state.get(), clock, lease).ifPresent(held::add);
            }
        }
        advanceTables(held, deadline);
        List<RunProgress> progress = new ArrayList<>();
        for (Checkpoint<RunState> run : held) {
            try {
                progress.add(settle(run, open, errors));
            } catch (WorkBucket.ConcurrentUpdateException e) {
                LOG.warn("lost the lease of run {}: another finisher continues it", run.state().runId());
            } catch (RuntimeException e) {
                errors.add("run " + run.state().runId() + ": " + e.getMessage());
                LOG.error("finishing run {} failed", run.state().runId(), e);
            }
        }
        List<BackupAges.TableAge> tableAges = ages.ages(config.tables(), clock.instant());
        tableAges.forEach(age -> BackupAges.publish(metrics, age));
        return new Report(progress, tableAges, errors);
    }

    /** Every unsettled table of every held run, in parallel; each worker stops at the deadline or when its run's lease is lost. */
    private void advanceTables(List<Checkpoint<RunState>> runs, Deadline deadline) {
        try (ExecutorService workers = Executors.newFixedThreadPool(TABLE_WORKERS)) {
            List<Future<?>> started = new ArrayList<>();
            for (Checkpoint<RunState> run : runs) {
                closeIfOverdue(run);
                for (RunState.TableState table : run.state().tables()) {
                    if (!table.status().settled()) {
                        started.add(workers.submit(() -> advance(run, table.table(), deadline)));
                    }
                }
            }
            for (Future<?> worker : started) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    LOG.error("a table worker failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Changes one table of the run; written at once when its status changes, so a settled table is never lost. */
    private static void update(Checkpoint<RunState> run, String table, UnaryOperator<RunState.TableState> change) {
        run.update(state -> state.withTable(table, change), (before, after) -> before.table(table).status() != after.table(table).status());
    }

    private void closeIfOverdue(Checkpoint<RunState> run) {
        if (clock.instant().isAfter(run.state().startedAt().plus(RUN_TIMEOUT))) {
            for (RunState.TableState table : run.state().tables()) {
                if (!table.status().settled()) {
                    update(run, table.table(), t -> t.failed("not finished within " + RUN_TIMEOUT.toDays() + " days of the run's start"));
                }
            }
        }
    }

    private void advance(Checkpoint<RunState> run, String table, Deadline deadline) {
        try {
            while (!deadline.passed() && !run.lost()) {
                RunState.TableState state = run.state().table(table);
                if (state.status().settled() || !attempt(run, state)) {
                    return;
                }
            }
        } catch (WorkBucket.ConcurrentUpdateException e) {
            // The lease is lost: another finisher continues the run, and repeats whatever this one did meanwhile.
        }
    }

    /** One step, its failure recorded on the table; false when the table waits (for DynamoDB, or for the next invocation after a failure). */
    private boolean attempt(Checkpoint<RunState> run, RunState.TableState state) {
        String table = state.table();
        try {
            return step(run, state);
        } catch (WorkBucket.ConcurrentUpdateException e) {
            throw e;
        } catch (ExportManifests.InvalidExportException e) {
            LOG.error("export of {} in run {} is invalid: {}", table, run.state().runId(), e.getMessage());
            update(run, table, t -> t.failed("export invalid: " + e.getMessage()));
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} of {} in run {} failed: {}", state.status(), table, run.state().runId(), e.getMessage());
            update(run, table, t -> t.failedAttempt(t.status() + " failed: " + e.getMessage(), ATTEMPTS));
            // The next invocation tries again, minutes later.
            return false;
        }
    }

    /** One step of a table; false when there is nothing to do until DynamoDB has finished exporting. */
    private boolean step(Checkpoint<RunState> run, RunState.TableState table) {
        String runId = run.state().runId();
        return switch (table.status()) {
            case EXPORTING -> checkExport(run, table);
            case SEALING -> {
                Optional<RunState.FileState> next = table.files().stream().filter(f -> !f.sealed()).findFirst();
                if (next.isPresent()) {
                    RunState.FileState sealed = seal(runId, table.table(), next.get());
                    update(run, table.table(), t -> t.withFile(sealed));
                } else {
                    stores.primary().writeOnce(BackupStore.tableManifestKey(runId, table.table()), table.manifest(runId));
                    update(run, table.table(), t -> t.withStatus(TableStatus.REPLICATING, clock.instant()));
                }
                yield true;
            }
            case REPLICATING -> {
                Optional<RunState.FileState> next = table.files().stream().filter(f -> !f.replicated()).findFirst();
                if (next.isPresent()) {
                    replicate(runId, table.table(), next.get());
                    update(run, table.table(), t -> t.withFile(next.get().replicatedCopy()));
                } else {
                    stores.replica().writeOnce(BackupStore.tableManifestKey(runId, table.table()), table.manifest(runId));
                    Instant now = clock.instant();
                    update(run, table.table(), t -> t.withStatus(TableStatus.VERIFIED, now));
                    ages.verified(table.table(), runId, now);
                    metrics.entry().dimension(BackupAges.TABLE_DIMENSION, table.table())
                            .value(ITEMS_METRIC, table.itemCount() == null ? 0 : table.itemCount(), MetricUnit.COUNT)
                            .value(BYTES_METRIC, table.files().stream().mapToLong(RunState.FileState::bytes).sum(), MetricUnit.BYTES)
                            .property("runId", runId)
                            .emit();
                    LOG.info("table {} of run {}: {} items verified in {} and {}", table.table(), runId, table.itemCount(),
                            stores.primary().region(), stores.replica().region());
                }
                yield true;
            }
            default -> false;
        };
    }

    private boolean checkExport(Checkpoint<RunState> run, RunState.TableState table) {
        ExportDescription export = dynamoDb.describeExport(r -> r.exportArn(table.exportArn())).exportDescription();
        switch (export.exportStatus()) {
            case COMPLETED -> {
                List<RunState.FileState> files = exportFiles.validate(run.state().runId(), table.table(), export);
                long items = export.itemCount() == null ? 0 : export.itemCount();
                update(run, table.table(), t -> t.exported(export.exportTime(), items, files));
                return true;
            }
            case FAILED -> {
                update(run, table.table(), t -> t.failed("DynamoDB's export failed: " + export.failureCode() + ": " + export.failureMessage()));
                return true;
            }
            default -> {
                if (clock.instant().isAfter(run.state().startedAt().plus(EXPORT_TIMEOUT))) {
                    update(run, table.table(), t -> t.failed("DynamoDB's export still " + export.exportStatusAsString() + " after "
                            + EXPORT_TIMEOUT.toHours() + " hours"));
                    return true;
                }
                return false;
            }
        }
    }

    /**
     * Copies an exported file into the backup bucket, where S3 computes its SHA-256. A copy already there
     * (an earlier finisher stopped before its checkpoint) is taken as it is: only this run writes that key.
     */
    private RunState.FileState seal(String runId, String table, RunState.FileState file) {
        BackupStore primary = stores.primary();
        String key = BackupStore.dataPrefix(runId, table) + file.name();
        Optional<HeadObjectResponse> existing = primary.head(key).filter(h -> h.contentLength() == file.bytes() && h.checksumSHA256() != null);
        HeadObjectResponse sealed = existing.orElseGet(() -> {
            copier.copy(primary.s3(), new ObjectCopier.Copy(stores.work().bucket(), file.exportKey(), file.bytes(), primary.bucket(), key));
            return primary.head(key).orElseThrow(() -> new IllegalStateException("copy of " + file.exportKey() + " to " + key + " is not there"));
        });
        if (sealed.contentLength() != file.bytes() || sealed.checksumSHA256() == null) {
            throw new IllegalStateException("copy of " + file.exportKey() + " at " + key + " has " + sealed.contentLength() + " bytes and SHA-256 "
                    + sealed.checksumSHA256() + "; the export file has " + file.bytes() + " bytes");
        }
        return file.sealedWith(sealed.checksumSHA256(), copier.partSize(file.bytes()));
    }

    /** Copies a sealed file to the second region (unless an identical copy is there) and checks S3's checksum of the copy. */
    private void replicate(String runId, String table, RunState.FileState file) {
        BackupStore replica = stores.replica();
        String key = BackupStore.dataPrefix(runId, table) + file.name();
        if (matches(replica.head(key), file)) {
            return;
        }
        copier.copy(replica.s3(), new ObjectCopier.Copy(stores.primary().bucket(), key, file.bytes(), replica.bucket(), key));
        Optional<HeadObjectResponse> copy = replica.head(key);
        if (!matches(copy, file)) {
            throw new IllegalStateException("copy of " + key + " in " + replica.region() + " has " + copy.map(h -> h.contentLength() + " bytes, SHA-256 "
                    + h.checksumSHA256()).orElse("nothing") + "; expected " + file.bytes() + " bytes, SHA-256 " + file.sha256());
        }
    }

    private static boolean matches(Optional<HeadObjectResponse> head, RunState.FileState file) {
        return head.isPresent() && head.get().contentLength() == file.bytes() && Checksums.same(file.sha256(), head.get().checksumSHA256());
    }

    /** A settled run gets its manifest in both regions (each written once), then retention runs and the run is closed. */
    private RunProgress settle(Checkpoint<RunState> run, Set<String> open, Collection<String> errors) {
        run.flush();
        RunState state = run.state();
        List<Manifest.TableResult> results = state.tables().stream().map(RunState.TableState::result).toList();
        if (!state.settled() || run.lost()) {
            run.release();
            return new RunProgress(state.runId(), false, results);
        }
        Instant now = clock.instant();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, state.runId(), config.region().id(), state.startedAt(), now, results);
        stores.primary().writeOnce(BackupStore.manifestKey(state.runId()), manifest);
        stores.replica().writeOnce(BackupStore.manifestKey(state.runId()), manifest);
        Set<String> stillOpen = new HashSet<>(open);
        stillOpen.remove(state.runId());
        try {
            Retention.Pruned pruned = retention.apply(stillOpen, now);
            LOG.info("run {} finished; pruned {} runs here, {} in {}, {} native backups", state.runId(), pruned.runs(), pruned.replicaRuns(),
                    config.replicaRegion(), pruned.nativeBackups());
        } catch (RuntimeException e) {
            // The run itself is complete; the next run's retention prunes what this one could not.
            errors.add("retention after run " + state.runId() + ": " + e.getMessage());
            LOG.error("retention after run {} failed", state.runId(), e);
        }
        run.finish(finished -> finished.finishedAt(now));
        return new RunProgress(state.runId(), true, results);
    }
}
