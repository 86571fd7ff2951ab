package com.supportress.backup;

import com.supportress.emulator.RecordedMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeExportResponse;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: faults against the emulator. An export DynamoDB accepts and then fails, an export
 * that takes its time, and a finisher that dies in the middle of a copy: each affects its own table only,
 * and the run ends complete, once, with the failure named in its manifest and in the table's backup age.
 */
@Tag("emulator")
class BackupFaultIT {

    private BackupFixture fixture;
    private String reports;
    private String billing;

    @BeforeEach
    void standUp() {
        fixture = new BackupFixture(Map.of());
        reports = fixture.table("IncidentReportsTable");
        billing = fixture.table("BillingStateTable");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void oneFailingTableLeavesTheOthersCompleteAndItsAgeMetricNamesIt() {
        int tables = fixture.templateTables().size();
        fixture.templateTables().forEach(table -> fixture.putItems(table, 3));
        // DynamoDB accepts the export, then fails it: here by sending it to a bucket that does not exist.
        DynamoDbClient dynamoDb = fixture.dynamoDb(new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (context.request() instanceof ExportTableToPointInTimeRequest export && export.tableArn().endsWith("/" + billing)) {
                    return export.toBuilder().s3Bucket("no-such-bucket-" + fixture.stack.stackName()).build();
                }
                return context.request();
            }
        });
        BackupConfig config = fixture.config(Map.of());
        BackupStores stores = fixture.stores();
        BackupStarter starter = new BackupStarter(dynamoDb, stores, config, fixture.clock);
        BackupFinisher finisher = new BackupFinisher(dynamoDb, stores, config, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());

        String firstRun = starter.start().runId();
        BackupFinisher.Report first = BackupFixture.finishRun(firstRun, () -> finisher.finish(Deadline.after(Duration.ofMinutes(2))));
        fixture.advance(Duration.ofHours(24));
        String secondRun = starter.start().runId();
        BackupFixture.finishRun(secondRun, () -> finisher.finish(Deadline.after(Duration.ofMinutes(2))));
        fixture.advance(Duration.ofHours(3));
        BackupFinisher.Report later = finisher.finish(Deadline.after(Duration.ofMinutes(2)));

        Manifest manifest = stores.primary().manifest(firstRun).orElseThrow();
        Map<String, TableStatus> statuses = manifest.tables().stream().collect(Collectors.toMap(Manifest.TableResult::table, Manifest.TableResult::status));
        assertEquals(TableStatus.FAILED, statuses.remove(billing));
        assertEquals(tables - 1, statuses.size());
        assertTrue(statuses.values().stream().allMatch(s -> s == TableStatus.VERIFIED), statuses.toString());
        String error = manifest.table(billing).orElseThrow().error();
        assertTrue(error.contains("export failed") && error.contains("S3NoSuchBucket"), error);
        assertTrue(first.runs().getFirst().tables().stream().anyMatch(t -> t.table().equals(billing) && t.status() == TableStatus.FAILED));
        for (String table : statuses.keySet()) {
            assertEquals(3, stores.replica().tableManifest(secondRun, table).orElseThrow().itemCount(), table);
        }
        Map<String, BackupAges.TableAge> ages = later.ages().stream().collect(Collectors.toMap(BackupAges.TableAge::table, a -> a));
        assertTrue(ages.get(billing).hours() > 26, "the failing table's alarm breaches: " + ages.get(billing));
        assertNull(ages.get(billing).lastVerifiedRun());
        ages.remove(billing);
        assertTrue(ages.values().stream().allMatch(a -> a.hours() <= 3.01 && secondRun.equals(a.lastVerifiedRun())), ages.toString());
        RecordedMetrics metrics = fixture.metrics("BackupFinisherFunction");
        assertEquals(0, metrics.sum(BackupFinisher.ITEMS_METRIC, Map.of(BackupAges.TABLE_DIMENSION, billing)), "a failed table's backup has no size");
        for (String table : statuses.keySet()) {
            assertEquals(6, metrics.sum(BackupFinisher.ITEMS_METRIC, Map.of(BackupAges.TABLE_DIMENSION, table)), table + ": 3 items in each of two runs");
        }
    }

    @Test
    void aSlowExportHoldsBackNoOtherTableOnlyTheRunsManifest() {
        fixture.putItems(reports, 4);
        fixture.putItems(billing, 4);
        AtomicBoolean slow = new AtomicBoolean(true);
        DynamoDbClient dynamoDb = fixture.dynamoDb(new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (slow.get() && context.response() instanceof DescribeExportResponse described
                        && described.exportDescription().tableArn().endsWith("/" + reports)) {
                    return described.toBuilder().exportDescription(described.exportDescription().toBuilder().exportStatus(ExportStatus.IN_PROGRESS).build()).build();
                }
                return context.response();
            }
        });
        BackupConfig config = fixture.config(Map.of());
        BackupStores stores = fixture.stores();
        BackupFinisher finisher = new BackupFinisher(dynamoDb, stores, config, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());
        String runId = fixture.start().runId();

        for (int i = 0; i < 3; i++) {
            finisher.finish(Deadline.after(Duration.ofMinutes(2)));
            RestoreService.sleep(300);
        }

        RunState state = stores.work().read(WorkBucket.stateKey(runId), RunState.class).orElseThrow().value();
        assertEquals(TableStatus.EXPORTING, state.table(reports).status());
        assertEquals(TableStatus.VERIFIED, state.table(billing).status());
        assertEquals(4, stores.replica().tableManifest(runId, billing).orElseThrow().itemCount(), "the other tables are restorable already");
        assertTrue(stores.primary().manifest(runId).isEmpty(), "the run's manifest waits for every table");

        slow.set(false);
        BackupFixture.finishRun(runId, () -> finisher.finish(Deadline.after(Duration.ofMinutes(2))));
        assertTrue(stores.replica().manifest(runId).orElseThrow().tables().stream().allMatch(t -> t.status() == TableStatus.VERIFIED));
    }

    @Test
    void aFinisherKilledMidCopyIsReplacedByTheNextWhichFinishesTheCopyAndWritesEachManifestOnce() throws Exception {
        fixture.putRandomItems(reports, 1_500, 4_000);
        BackupConfig config = fixture.config(Map.of("BACKUP_COPY_MULTIPART_MB", "5", "BACKUP_COPY_PART_MB", "5", "BACKUP_COPY_PARALLELISM", "1"));
        String runId = fixture.start().runId();
        waitForExports(runId);
        // The first finisher hangs in its second part copy to the second region, as if its invocation had died there.
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger partCopies = new AtomicInteger();
        S3Client dyingReplica = fixture.s3(fixture.stack.secondaryRegion(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartCopyRequest && partCopies.incrementAndGet() == 2) {
                    hanging.countDown();
                    await(released);
                }
            }
        });
        BackupStores dyingStores = fixture.stores(fixture.stack.s3(), dyingReplica, config);
        BackupFinisher dying = new BackupFinisher(fixture.stack.dynamoDb(), dyingStores, config, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<BackupFinisher.Report> zombie = background.submit(() -> dying.finish(Deadline.after(Duration.ofMinutes(3))));
        assertTrue(hanging.await(2, TimeUnit.MINUTES), "the first finisher reached the second part");

        // Its lease runs out; the schedule's next invocation takes the run over.
        fixture.advance(Duration.ofMinutes(20));
        BackupStores stores = fixture.stores(fixture.stack.s3(), fixture.stack.s3(fixture.stack.secondaryRegion()), config);
        BackupFinisher next = new BackupFinisher(fixture.stack.dynamoDb(), stores, config, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());
        BackupFixture.finishRun(runId, () -> next.finish(Deadline.after(Duration.ofMinutes(3))));
        released.countDown();
        zombie.get(2, TimeUnit.MINUTES);
        background.shutdown();

        TableManifest backup = stores.replica().tableManifest(runId, reports).orElseThrow();
        TableManifest.BackupFile file = backup.files().getFirst();
        assertTrue(file.partSize() > 0 && file.bytes() > file.partSize(), "copied in parts: " + file);
        assertTrue(Checksums.same(file.sha256(), stores.replica().head(file.key()).orElseThrow().checksumSHA256()));
        for (BackupStore store : List.of(stores.primary(), stores.replica())) {
            assertEquals(1, versions(store, BackupStore.manifestKey(runId)), "one run manifest in " + store.region());
            for (String table : fixture.templateTables()) {
                assertEquals(1, versions(store, BackupStore.tableManifestKey(runId, table)), table + " in " + store.region());
            }
            assertTrue(store.s3().listMultipartUploads(r -> r.bucket(store.bucket())).uploads().isEmpty(), "no copy left open in " + store.region());
        }
        assertTrue(stores.replica().manifest(runId).orElseThrow().tables().stream().allMatch(t -> t.status() == TableStatus.VERIFIED));
        RunState state = stores.work().read(WorkBucket.stateKey(runId), RunState.class).orElseThrow().value();
        assertTrue(state.finished() && state.lease() == null, "the dead finisher wrote nothing after losing the lease: " + state);
    }

    private static int versions(BackupStore store, String key) {
        return (int) store.s3().listObjectVersions(r -> r.bucket(store.bucket()).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key)).count();
    }

    private void waitForExports(String runId) {
        RunState state = fixture.stores().work().read(WorkBucket.stateKey(runId), RunState.class).orElseThrow().value();
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (RunState.TableState table : state.tables()) {
            while (fixture.stack.dynamoDb().describeExport(r -> r.exportArn(table.exportArn())).exportDescription().exportStatus() == ExportStatus.IN_PROGRESS) {
                assertTrue(System.nanoTime() < giveUp, "export of " + table.table() + " did not finish");
                RestoreService.sleep(200);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
