package com.supportress.backup;

import com.fasterxml.jackson.core.JsonParser;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Restores a backup run's table into a new table or an empty one, and verifies backups by restoring them
 * into a scratch table. Every file's SHA-256 is checked before the first write, so a corrupt or truncated
 * backup changes nothing.
 */
@Singleton
public class RestoreService {

    private static final int BATCH = 25;
    private static final long PROGRESS_EVERY = 10_000;
    private static final int WRITERS = 4;

    private final DynamoDbClient dynamoDb;
    private final BackupStores stores;
    private final BackupConfig config;

    public RestoreService(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config) {
        this.dynamoDb = dynamoDb;
        this.stores = stores;
        this.config = config;
    }

    /**
     * @param table       the backed-up table's name, as listed in the manifest
     * @param backupId    the run to restore; the newest complete run when empty
     * @param targetTable where to restore; a new table {@code <table>-restored-<runId>} when empty
     * @param force       write into a target that already holds items
     * @param region      the region whose copy to read; the stack's region when empty
     */
    public record RestoreRequest(String table, Optional<String> backupId, Optional<String> targetTable, boolean force, Optional<String> region) {
    }

    @Serdeable
    public record RestoreReport(String backupId, String region, String table, String targetTable, long restoredItems, long manifestItems) {
    }

    @Serdeable
    public record TableCheck(String table, long manifestItems, long restoredItems, String manifestHash, String restoredHash) {
        public boolean matches() {
            return manifestItems == restoredItems && manifestHash.equals(restoredHash);
        }
    }

    @Serdeable
    public record VerifyReport(String backupId, List<TableCheck> tables) {
        public boolean matches() {
            return tables.stream().allMatch(TableCheck::matches);
        }
    }

    public RestoreReport restore(RestoreRequest request, Consumer<String> progress) {
        BackupStore store = store(request.region());
        Manifest manifest = manifest(store, request.backupId());
        Manifest.TableBackup backup = manifest.table(request.table()).orElseThrow(() -> new RestoreRefusedException(
                "backup " + manifest.runId() + " holds no table " + request.table() + "; it holds "
                        + manifest.tables().stream().map(Manifest.TableBackup::table).toList()));
        checkFiles(store, backup, progress);

        String target = request.targetTable().orElse(request.table() + "-restored-" + manifest.runId());
        boolean created = prepareTarget(target, backup, request.force());
        progress.accept("restoring " + backup.itemCount() + " items of " + backup.table() + " from backup " + manifest.runId()
                + " (" + store.region() + ") into " + target);
        ItemHash restored;
        try {
            restored = write(store, backup, target, progress);
        } catch (RuntimeException e) {
            if (created) {
                // Nothing half-written kept: a table this restore created goes away with the failure.
                dynamoDb.deleteTable(r -> r.tableName(target));
            }
            throw e;
        }
        if (restored.items() != backup.itemCount() || !restored.hex().equals(backup.contentHash())) {
            throw new IllegalStateException("restored " + restored.items() + " items into " + target + " but the manifest lists "
                    + backup.itemCount() + (restored.hex().equals(backup.contentHash()) ? "" : ", and their content hash differs"));
        }
        progress.accept("restored " + restored.items() + " of " + backup.itemCount() + " items listed in the manifest into " + target);
        return new RestoreReport(manifest.runId(), store.region().id(), backup.table(), target, restored.items(), backup.itemCount());
    }

    /**
     * Restores every table of a run into a scratch table, scans the scratch table back and compares its item
     * count and content hash with the manifest, then drops the scratch table.
     */
    public VerifyReport verify(Optional<String> backupId, Consumer<String> progress) {
        Manifest manifest = manifest(stores.primary(), backupId);
        List<TableCheck> checks = new ArrayList<>();
        for (Manifest.TableBackup backup : manifest.tables()) {
            String scratch = config.scratchTablePrefix() + UUID.randomUUID().toString().substring(0, 8);
            try {
                restore(new RestoreRequest(backup.table(), Optional.of(manifest.runId()), Optional.of(scratch), false, Optional.empty()), progress);
                ItemHash rescanned = new ItemHash();
                for (ScanResponse page : dynamoDb.scanPaginator(r -> r.tableName(scratch).consistentRead(true))) {
                    page.items().forEach(rescanned::add);
                }
                checks.add(new TableCheck(backup.table(), backup.itemCount(), rescanned.items(), backup.contentHash(), rescanned.hex()));
            } catch (RuntimeException e) {
                progress.accept("verify of " + backup.table() + " failed: " + e.getMessage());
                checks.add(new TableCheck(backup.table(), backup.itemCount(), -1, backup.contentHash(), "not restored: " + e.getMessage()));
            } finally {
                dropIfExists(scratch);
            }
        }
        return new VerifyReport(manifest.runId(), checks);
    }

    private BackupStore store(Optional<String> region) {
        if (region.isEmpty()) {
            return stores.primary();
        }
        return stores.inRegion(region.get()).orElseThrow(() -> new RestoreRefusedException(
                "no backups are kept in region " + region.get() + "; they are in " + stores.primary().region() + " and " + stores.replica().region()));
    }

    private static Manifest manifest(BackupStore store, Optional<String> backupId) {
        Manifest manifest = backupId
                .map(id -> store.manifest(id).orElseThrow(() -> new RestoreRefusedException(
                        "no complete backup " + id + " in " + store.bucket() + " (" + store.region() + "); complete backups: " + completeRuns(store))))
                .orElseGet(() -> store.latest().orElseThrow(() -> new RestoreRefusedException(
                        "no complete backup in " + store.bucket() + " (" + store.region() + ")")));
        if (manifest.formatVersion() > Manifest.FORMAT_VERSION) {
            throw new RestoreRefusedException("backup " + manifest.runId() + " has format version " + manifest.formatVersion()
                    + "; this restore reads up to " + Manifest.FORMAT_VERSION);
        }
        return manifest;
    }

    private static List<String> completeRuns(BackupStore store) {
        return store.snapshots().stream().filter(RetentionPolicy.Snapshot::complete).map(RetentionPolicy.Snapshot::id).toList();
    }

    private static void checkFiles(BackupStore store, Manifest.TableBackup backup, Consumer<String> progress) {
        int checked = 0;
        for (Manifest.BackupFile file : backup.files()) {
            String actual;
            try {
                actual = BackupService.sha256(store, file.key());
            } catch (NoSuchKeyException e) {
                throw new RestoreRefusedException("file " + file.key() + " listed in the manifest is missing from " + store.bucket());
            }
            if (!actual.equals(file.sha256())) {
                throw new RestoreRefusedException("checksum mismatch in file " + file.key() + ": expected SHA-256 " + file.sha256()
                        + ", actual " + actual + "; nothing was restored");
            }
            progress.accept("checked " + (++checked) + "/" + backup.files().size() + " files: " + file.key());
        }
    }

    /** Creates the target table, or checks that an existing one has the same key and is empty (or force); true if created. */
    private boolean prepareTarget(String target, Manifest.TableBackup backup, boolean force) {
        Optional<TableDescription> existing = describe(target);
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

    private void dropIfExists(String table) {
        try {
            dynamoDb.deleteTable(r -> r.tableName(table));
        } catch (ResourceNotFoundException e) {
            // never created: the restore was refused before it got there
        }
    }

    private static CreateTableRequest createRequest(String target, Manifest.TableBackup backup) {
        Map<String, String> attributeTypes = new LinkedHashMap<>();
        backup.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType()));
        backup.globalSecondaryIndexes().forEach(i -> i.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType())));
        backup.localSecondaryIndexes().forEach(i -> i.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType())));
        var request = CreateTableRequest.builder()
                .tableName(target)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(s -> s.enabled(true))
                .keySchema(keySchema(backup.keySchema()))
                .attributeDefinitions(attributeTypes.entrySet().stream()
                        .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build()).toList());
        if (!backup.globalSecondaryIndexes().isEmpty()) {
            request.globalSecondaryIndexes(backup.globalSecondaryIndexes().stream()
                    .map(i -> GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(keySchema(i.keySchema())).projection(projection(i)).build())
                    .toList());
        }
        if (!backup.localSecondaryIndexes().isEmpty()) {
            request.localSecondaryIndexes(backup.localSecondaryIndexes().stream()
                    .map(i -> LocalSecondaryIndex.builder().indexName(i.name()).keySchema(keySchema(i.keySchema())).projection(projection(i)).build())
                    .toList());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(List<Manifest.KeyAttribute> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.name()).keyType(k.keyType()).build()).toList();
    }

    private static Projection projection(Manifest.Index index) {
        Projection.Builder projection = Projection.builder().projectionType(index.projectionType());
        if (!index.nonKeyAttributes().isEmpty()) {
            projection.nonKeyAttributes(index.nonKeyAttributes());
        }
        return projection.build();
    }

    /** Writes every file's items, a few files in parallel; returns the hash of what was written. */
    private ItemHash write(BackupStore store, Manifest.TableBackup backup, String target, Consumer<String> progress) {
        AtomicLong written = new AtomicLong();
        ItemHash total = new ItemHash();
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<ItemHash>> futures = backup.files().stream()
                    .map(file -> writers.submit(() -> writeFile(store, file, target, written, progress)))
                    .toList();
            for (Future<ItemHash> future : futures) {
                try {
                    total.addAll(future.get());
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
        return total;
    }

    private ItemHash writeFile(BackupStore store, Manifest.BackupFile file, String target, AtomicLong written, Consumer<String> progress) {
        ItemHash hash = new ItemHash();
        List<WriteRequest> batch = new ArrayList<>(BATCH);
        try (InputStream in = new GZIPInputStream(store.open(file.key()), 64 * 1024);
             JsonParser parser = DynamoJson.FACTORY.createParser(in)) {
            for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                hash.add(item.get());
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
        if (hash.items() != file.items()) {
            throw new IllegalStateException("file " + file.key() + " held " + hash.items() + " items, the manifest says " + file.items());
        }
        return hash;
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a batch write", e);
        }
    }
}
