package com.supportress.backup;

import com.fasterxml.jackson.core.JsonParser;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Restores one table from a backup run, from the stack's region or the copy in the second region. Every
 * file's size and SHA-256 is checked first, so a tampered, truncated or extra file changes nothing. Into
 * a new table, DynamoDB's ImportTable does the work at any size; into an existing table (which must have
 * the same key, and be empty unless forced), and for tables with local secondary indexes, the files are
 * streamed and written with BatchWriteItem.
 */
@Singleton
public class RestoreService {

    private static final int BATCH = 25;
    private static final long PROGRESS_EVERY = 10_000;
    private static final int WRITERS = 4;

    private final DynamoDbClient dynamoDb;
    private final BackupStores stores;
    private final TableImports imports;

    public RestoreService(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config) {
        this.dynamoDb = dynamoDb;
        this.stores = stores;
        this.imports = new TableImports(dynamoDb, config.bucketOwner());
    }

    /**
     * @param table       the backed-up table's name
     * @param backupId    the run to restore; the newest run holding a backup of the table when empty
     * @param targetTable where to restore; a new table {@code <table>-restored-<runId>} when empty
     * @param force       write into a target that already holds items
     * @param region      the region whose copy to read; the stack's region when empty
     */
    public record RestoreRequest(String table, Optional<String> backupId, Optional<String> targetTable, boolean force, Optional<String> region) {
    }

    /** {@code status} is COMPLETED, or IN_PROGRESS when an import outlasted the caller's deadline (then {@code importArn} tells where it stands). */
    @Serdeable
    public record RestoreReport(String backupId, String region, String table, String targetTable, String method, String importArn,
                                String status, long restoredItems, long manifestItems) {
    }

    public RestoreReport restore(RestoreRequest request, Deadline deadline, Consumer<String> progress) {
        BackupStore store = store(request.region());
        TableManifest backup = backup(store, request.table(), request.backupId());
        BackupFileCheck.verify(store, backup, progress);
        String target = request.targetTable().orElse(request.table() + "-restored-" + backup.runId());
        Optional<TableDescription> existing = describe(target);
        if (existing.isEmpty() && TableImports.canImport(backup)) {
            return importInto(store, backup, target, deadline, progress);
        }
        return stream(store, backup, target, existing, request.force(), progress);
    }

    private RestoreReport importInto(BackupStore store, TableManifest backup, String target, Deadline deadline, Consumer<String> progress) {
        String importArn = imports.start(store, backup, target);
        progress.accept("importing " + backup.itemCount() + " items of " + backup.table() + " from backup " + backup.runId()
                + " (" + store.region() + ") into new table " + target + ": " + importArn);
        ImportTableDescription description = waitFor(importArn, deadline, progress);
        if (TableImports.running(description)) {
            return new RestoreReport(backup.runId(), store.region().id(), backup.table(), target, "import", importArn,
                    description.importStatusAsString(), 0, backup.itemCount());
        }
        String problem = TableImports.problem(description, backup);
        if (problem != null) {
            // Nothing half-written kept: the table this import created goes away with the failure.
            imports.dropIfExists(target);
            throw new IllegalStateException("restore of " + backup.table() + " into " + target + " failed, " + problem);
        }
        progress.accept("imported " + description.importedItemCount() + " of " + backup.itemCount() + " items listed in the manifest into " + target);
        return new RestoreReport(backup.runId(), store.region().id(), backup.table(), target, "import", importArn, "COMPLETED",
                description.importedItemCount(), backup.itemCount());
    }

    /** Polls the import until it is done or the deadline comes, waiting longer between polls as it goes on. */
    ImportTableDescription waitFor(String importArn, Deadline deadline, Consumer<String> progress) {
        long pause = 200;
        while (true) {
            ImportTableDescription description = imports.describe(importArn);
            if (!TableImports.running(description) || deadline.remaining().toMillis() < pause) {
                return description;
            }
            progress.accept("import " + description.importStatusAsString() + ": " + description.processedItemCount() + " items processed");
            sleep(pause);
            pause = Math.min(pause * 2, Duration.ofSeconds(15).toMillis());
        }
    }

    private RestoreReport stream(BackupStore store, TableManifest backup, String target, Optional<TableDescription> existing, boolean force,
                                 Consumer<String> progress) {
        boolean created = prepareTarget(target, backup, existing, force);
        progress.accept("writing " + backup.itemCount() + " items of " + backup.table() + " from backup " + backup.runId()
                + " (" + store.region() + ") into " + target);
        long written;
        try {
            written = write(store, backup, target, progress);
        } catch (RuntimeException e) {
            if (created) {
                imports.dropIfExists(target);
            }
            throw e;
        }
        if (written != backup.itemCount()) {
            throw new IllegalStateException("restored " + written + " items into " + target + " but the manifest lists " + backup.itemCount());
        }
        progress.accept("restored " + written + " of " + backup.itemCount() + " items listed in the manifest into " + target);
        return new RestoreReport(backup.runId(), store.region().id(), backup.table(), target, "write", null, "COMPLETED", written, backup.itemCount());
    }

    BackupStore store(Optional<String> region) {
        if (region.isEmpty()) {
            return stores.primary();
        }
        return stores.inRegion(region.get()).orElseThrow(() -> new RestoreRefusedException(
                "no backups are kept in region " + region.get() + "; they are in " + stores.primary().region() + " and " + stores.replica().region()));
    }

    /** The table's backup in the run asked for, or its newest; a refusal says what exists instead. */
    static TableManifest backup(BackupStore store, String table, Optional<String> backupId) {
        TableManifest backup;
        if (backupId.isPresent()) {
            String runId = backupId.get();
            backup = store.tableManifest(runId, table).orElseThrow(() -> new RestoreRefusedException(
                    store.manifest(runId).map(run -> run.table(table)
                                    .map(t -> "table " + table + " has no backup in run " + runId + " in " + store.region() + ": " + t.status()
                                            + (t.error() == null ? "" : " (" + t.error() + ")"))
                                    .orElse("backup " + runId + " holds no table " + table + "; it holds "
                                            + run.tables().stream().map(Manifest.TableResult::table).toList()))
                            .orElse("no complete backup " + runId + " of " + table + " in " + store.bucket() + " (" + store.region()
                                    + "); runs with one: " + runsWith(store, table))));
        } else {
            backup = store.latestOf(table).orElseThrow(() -> new RestoreRefusedException(
                    "no backup of table " + table + " in " + store.bucket() + " (" + store.region() + ")"));
        }
        if (backup.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new RestoreRefusedException("backup " + backup.runId() + " has format version " + backup.formatVersion()
                    + "; this restore reads " + Manifest.FORMAT_VERSION);
        }
        return backup;
    }

    private static List<String> runsWith(BackupStore store, String table) {
        return store.runIdsNewestFirst().stream().filter(run -> store.head(BackupStore.tableManifestKey(run, table)).isPresent()).limit(10).toList();
    }

    /** Creates the target table, or checks that the existing one has the same key and is empty (or force); true if created. */
    private boolean prepareTarget(String target, TableManifest backup, Optional<TableDescription> existing, boolean force) {
        if (existing.isEmpty()) {
            dynamoDb.createTable(createRequest(target, backup));
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(target));
            return true;
        }
        List<String> existingKey = existing.get().keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
        List<String> backupKey = backup.keySchema().stream().map(k -> k.name() + ":" + k.keyType()).toList();
        if (!existingKey.equals(backupKey)) {
            throw new RestoreRefusedException("table " + target + " has key " + existingKey + " but the backup of " + backup.table() + " has " + backupKey);
        }
        if (!force && !dynamoDb.scan(r -> r.tableName(target).limit(1)).items().isEmpty()) {
            throw new RestoreRefusedException("table " + target + " is not empty; restore into a new table or pass --force to overwrite items with the same keys");
        }
        return false;
    }

    private Optional<TableDescription> describe(String table) {
        try {
            return Optional.of(dynamoDb.describeTable(r -> r.tableName(table)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static CreateTableRequest createRequest(String target, TableManifest backup) {
        var request = CreateTableRequest.builder()
                .tableName(target)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(s -> s.enabled(true))
                .keySchema(TableImports.keySchema(backup.keySchema()))
                .attributeDefinitions(TableImports.attributeDefinitions(backup, true));
        if (!backup.globalSecondaryIndexes().isEmpty()) {
            request.globalSecondaryIndexes(backup.globalSecondaryIndexes().stream()
                    .map(i -> GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(TableImports.keySchema(i.keySchema()))
                            .projection(TableImports.projection(i)).build())
                    .toList());
        }
        if (!backup.localSecondaryIndexes().isEmpty()) {
            request.localSecondaryIndexes(backup.localSecondaryIndexes().stream()
                    .map(i -> LocalSecondaryIndex.builder().indexName(i.name()).keySchema(TableImports.keySchema(i.keySchema()))
                            .projection(TableImports.projection(i)).build())
                    .toList());
        }
        return request.build();
    }

    /** Writes every file's items, a few files in parallel; returns how many were written. */
    private long write(BackupStore store, TableManifest backup, String target, Consumer<String> progress) {
        AtomicLong written = new AtomicLong();
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<?>> futures = new ArrayList<>();
            backup.files().forEach(file -> futures.add(writers.submit(() -> writeFile(store, file, target, written, progress))));
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("restore into " + target + " failed: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while restoring into " + target, e);
                }
            }
        }
        return written.get();
    }

    private void writeFile(BackupStore store, TableManifest.BackupFile file, String target, AtomicLong written, Consumer<String> progress) {
        long items = 0;
        List<WriteRequest> batch = new ArrayList<>(BATCH);
        try (InputStream in = new GZIPInputStream(store.open(file.key()), 64 * 1024);
             JsonParser parser = DynamoJson.FACTORY.createParser(in)) {
            for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                items++;
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item.get()).build()).build());
                if (batch.size() == BATCH) {
                    writeBatch(target, batch);
                    report(written.addAndGet(BATCH), BATCH, progress);
                }
            }
            if (!batch.isEmpty()) {
                int size = batch.size();
                writeBatch(target, batch);
                report(written.addAndGet(size), size, progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.key(), e);
        }
        if (file.items() != null && items != file.items()) {
            throw new IllegalStateException("file " + file.key() + " held " + items + " items, the manifest says " + file.items());
        }
    }

    private static void report(long total, int added, Consumer<String> progress) {
        if (total / PROGRESS_EVERY != (total - added) / PROGRESS_EVERY) {
            progress.accept("restored " + total + " items");
        }
    }

    /** Writes 25 items, retrying what DynamoDB left unprocessed (throttling) with a growing pause. */
    private void writeBatch(String target, List<WriteRequest> batch) {
        List<WriteRequest> pending = List.copyOf(batch);
        batch.clear();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == 10) {
                throw new IllegalStateException(pending.size() + " items stayed unprocessed by " + target + " after 10 attempts");
            }
            if (attempt > 0) {
                sleep(Math.min(50L << attempt, 5_000));
            }
            List<WriteRequest> request = pending;
            var unprocessed = dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(target, request))).unprocessedItems();
            pending = unprocessed == null ? List.of() : unprocessed.getOrDefault(target, List.of());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
