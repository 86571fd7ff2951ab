package com.supportress.backup;

import com.supportress.emulator.EmfDocument;
import com.supportress.emulator.RecordedMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: the daily start, the finisher and retention against the emulator (moto unless
 * AWS_ENDPOINT_URL is set), one fresh stack per test.
 */
@Tag("emulator")
class BackupIT {

    private BackupFixture fixture;
    private String reports;
    private String control;

    @BeforeEach
    void standUp() {
        standUp(Map.of());
    }

    private void standUp(Map<String, String> parameters) {
        fixture = new BackupFixture(parameters);
        reports = fixture.table("IncidentReportsTable");
        control = fixture.table("IntakeControlTable");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void dailyStartExportsEveryTableAndTakesItsNativeBackupWithoutWaitingForEither() {
        fixture.putItems(reports, 250);

        StartReport started = fixture.start();

        assertEquals(fixture.templateTables(), started.tables().stream().map(StartReport.TableStart::table).collect(Collectors.toSet()));
        for (StartReport.TableStart table : started.tables()) {
            assertNotNull(table.exportArn(), table.toString());
            assertNotNull(table.nativeBackupArn(), table.toString());
            assertNull(table.error(), table.toString());
        }
        assertTrue(fixture.stores().primary().manifest(started.runId()).isEmpty(), "nothing is a backup before the finisher has checked it");
        RunState state = fixture.stores().work().read(WorkBucket.stateKey(started.runId()), RunState.class).orElseThrow().value();
        assertTrue(state.tables().stream().allMatch(t -> t.status() == TableStatus.EXPORTING), state.toString());
        var backups = fixture.stack.dynamoDb().listBackups(r -> r.tableName(reports)).backupSummaries();
        assertEquals(List.of(NativeBackups.NAME_PREFIX + started.runId()), backups.stream().map(b -> b.backupName()).toList());
    }

    @Test
    void finisherCompletesTheRunInBothRegionsWithS3ChecksumsAndAManifestPerTableAndRun() {
        fixture.putItems(reports, 250);
        fixture.putItems(control, 3);

        String runId = fixture.backUp();

        Manifest manifest = fixture.stores().primary().manifest(runId).orElseThrow();
        assertEquals(Manifest.FORMAT_VERSION, manifest.formatVersion());
        assertEquals(fixture.templateTables(), manifest.tables().stream().map(Manifest.TableResult::table).collect(Collectors.toSet()));
        assertTrue(manifest.tables().stream().allMatch(t -> t.status() == TableStatus.VERIFIED), manifest.toString());
        assertEquals(manifest, fixture.stores().replica().manifest(runId).orElseThrow(), "the second region holds the same run manifest");
        TableManifest table = fixture.stores().primary().tableManifest(runId, reports).orElseThrow();
        assertEquals(250, table.itemCount());
        assertEquals(List.of(new Manifest.KeyAttribute("id", "HASH", "S")), table.keySchema());
        assertEquals(Set.of("PendingNotifications", "ByStatus"), table.globalSecondaryIndexes().stream().map(Manifest.Index::name).collect(Collectors.toSet()));
        assertTrue(table.pointInTimeRecovery());
        assertNotNull(table.exportArn());
        assertEquals(3, fixture.stores().primary().tableManifest(runId, control).orElseThrow().itemCount());
        for (String name : fixture.templateTables()) {
            TableManifest backup = fixture.stores().primary().tableManifest(runId, name).orElseThrow();
            assertEquals(backup, fixture.stores().replica().tableManifest(runId, name).orElseThrow());
            for (TableManifest.BackupFile file : backup.files()) {
                for (BackupStore store : List.of(fixture.stores().primary(), fixture.stores().replica())) {
                    byte[] stored = store.s3().getObjectAsBytes(r -> r.bucket(store.bucket()).key(file.key())).asByteArray();
                    assertEquals(BackupFixture.sha256(stored), file.sha256(), file.key() + " in " + store.region());
                    assertEquals(file.bytes(), stored.length);
                }
            }
        }
        BackupFinisher.Report next = fixture.finish();
        Map<String, Double> ages = next.ages().stream().collect(Collectors.toMap(BackupAges.TableAge::table, BackupAges.TableAge::hours));
        assertEquals(fixture.templateTables(), ages.keySet());
        assertTrue(ages.values().stream().allMatch(hours -> hours < 1), ages.toString());
        assertTrue(next.ages().stream().allMatch(a -> runId.equals(a.lastVerifiedRun())), next.ages().toString());
    }

    @Test
    void finisherWritesEachTablesBackupSizeOnceAndItsBackupAgeOnEveryRunAsEmf() {
        fixture.putItems(reports, 250);
        fixture.putItems(control, 3);
        RecordedMetrics metrics = fixture.metrics("BackupFinisherFunction");

        String runId = fixture.backUp();
        fixture.finish();

        for (String name : fixture.templateTables()) {
            TableManifest backup = fixture.stores().primary().tableManifest(runId, name).orElseThrow();
            Map<String, String> table = Map.of(BackupAges.TABLE_DIMENSION, name);
            assertEquals(backup.itemCount(), metrics.sum(BackupFinisher.ITEMS_METRIC, table), name + ": counted once, when verified");
            assertEquals(backup.bytes(), metrics.sum(BackupFinisher.BYTES_METRIC, table), name);
            List<Double> ages = metrics.documents().stream().flatMap(line -> line.value(BackupAges.METRIC, table).stream()).toList();
            assertTrue(ages.size() >= 2 && ages.getLast() < 1, name + ": an age on every run, the last one fresh: " + ages);
        }
        assertEquals(250, metrics.sum(BackupFinisher.ITEMS_METRIC, Map.of(BackupAges.TABLE_DIMENSION, reports)));
        EmfDocument age = metrics.documents().stream().filter(line -> line.units().containsKey(BackupAges.METRIC)).findFirst().orElseThrow();
        assertEquals(fixture.stack.environment("BackupFinisherFunction").require("METRICS_NAMESPACE"), age.namespace(),
                "the namespace the backup-age alarms watch");
        assertEquals(List.of(List.of(BackupAges.TABLE_DIMENSION)), age.dimensionSets());
        assertEquals("None", age.units().get(BackupAges.METRIC));
    }

    @Test
    void aSecondRunOnTheSameDayTakesNoSecondNativeBackup() {
        fixture.putItems(reports, 5);
        String first = fixture.start().runId();

        StartReport second = fixture.start();

        var backups = fixture.stack.dynamoDb().listBackups(r -> r.tableName(reports)).backupSummaries();
        assertEquals(1, backups.size());
        assertEquals(NativeBackups.NAME_PREFIX + first, backups.getFirst().backupName());
        assertEquals(backups.getFirst().backupArn(), second.tables().stream().filter(t -> t.table().equals(reports)).findFirst().orElseThrow().nativeBackupArn());
    }

    @Test
    void aTableWithoutPointInTimeRecoveryFailsAloneAndKeepsItsNativeBackup() {
        fixture.putItems(control, 4);
        fixture.putItems(reports, 6);
        fixture.stack.dynamoDb().updateContinuousBackups(r -> r.tableName(control).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));

        StartReport started = fixture.start();
        BackupFixture.finishRun(started.runId(), fixture::finish);

        StartReport.TableStart failed = started.tables().stream().filter(t -> t.table().equals(control)).findFirst().orElseThrow();
        assertTrue(failed.error().contains("point-in-time recovery is off"), failed.error());
        assertNotNull(failed.nativeBackupArn(), "the native backup does not depend on the export");
        Manifest manifest = fixture.stores().primary().manifest(started.runId()).orElseThrow();
        assertEquals(TableStatus.FAILED, manifest.table(control).orElseThrow().status());
        assertEquals(TableStatus.VERIFIED, manifest.table(reports).orElseThrow().status());
        assertTrue(fixture.stores().primary().tableManifest(started.runId(), control).isEmpty());
        assertEquals(6, fixture.stores().replica().tableManifest(started.runId(), reports).orElseThrow().itemCount());
    }

    @Test
    void filesAboveTheCopyThresholdAreCopiedInParallelPartsAndCheckedByS3sCompositeChecksum() {
        fixture.putRandomItems(reports, 1_500, 4_000);
        BackupConfig small = fixture.config(Map.of("BACKUP_COPY_MULTIPART_MB", "5", "BACKUP_COPY_PART_MB", "5", "BACKUP_COPY_PARALLELISM", "3"));
        BackupStores stores = fixture.stores(fixture.stack.s3(), fixture.stack.s3(fixture.stack.secondaryRegion()), small);
        String runId = new BackupStarter(fixture.stack.dynamoDb(), stores, small, fixture.clock).start().runId();

        BackupFinisher finisher = new BackupFinisher(fixture.stack.dynamoDb(), stores, small, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());
        BackupFinisher.Report report = BackupFixture.finishRun(runId, () -> finisher.finish(Deadline.after(Duration.ofMinutes(5))));

        TableManifest backup = stores.primary().tableManifest(runId, reports).orElseThrow(() -> new AssertionError(report.toString()));
        TableManifest.BackupFile file = backup.files().getFirst();
        assertTrue(file.bytes() > 5 * 1024 * 1024, "the file needs two parts at least: " + file.bytes());
        assertEquals(5 * 1024 * 1024, file.partSize());
        assertEquals(ObjectDigests.composite(download(stores.primary(), file.key()), file.partSize()), file.sha256().split("-")[0]);
        assertTrue(Checksums.same(file.sha256(), stores.replica().head(file.key()).orElseThrow().checksumSHA256()));
        assertEquals(1_500, backup.itemCount());
        assertEquals(TableStatus.VERIFIED, stores.replica().manifest(runId).orElseThrow().table(reports).orElseThrow().status());
    }

    @Test
    void everyS3CallToTheSecondRegionNamesTheExpectedBucketOwner() {
        fixture.putItems(reports, 10);
        Map<String, String> owners = new ConcurrentHashMap<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                owners.put(context.httpRequest().method() + " " + context.httpRequest().encodedPath() + " " + operation(context.request()),
                        context.httpRequest().firstMatchingHeader("x-amz-expected-bucket-owner").orElse("none"));
            }
        };
        BackupConfig config = fixture.config(Map.of());
        S3Client replica = fixture.s3(fixture.stack.secondaryRegion(), recorder);
        BackupStores stores = fixture.stores(fixture.stack.s3(), replica, config);
        String runId = new BackupStarter(fixture.stack.dynamoDb(), stores, config, fixture.clock).start().runId();
        BackupFinisher finisher = new BackupFinisher(fixture.stack.dynamoDb(), stores, config, fixture.clock, fixture.json(), fixture.metrics("BackupFinisherFunction").metrics());
        BackupFixture.finishRun(runId, () -> finisher.finish(Deadline.after(Duration.ofMinutes(5))));
        new RestoreService(fixture.stack.dynamoDb(), stores, config).restore(new RestoreService.RestoreRequest(reports, Optional.of(runId),
                Optional.empty(), false, Optional.of(fixture.stack.secondaryRegion().id())), Deadline.after(Duration.ofMinutes(1)), m -> { });

        assertTrue(owners.size() >= 5, owners.toString());
        assertEquals(Set.of(config.bucketOwner()), Set.copyOf(owners.values()), owners.toString());
        assertTrue(owners.keySet().stream().anyMatch(k -> k.contains("CopyObject")), owners.keySet().toString());
        assertTrue(owners.keySet().stream().anyMatch(k -> k.contains("HeadObject")), owners.keySet().toString());
        assertTrue(owners.keySet().stream().anyMatch(k -> k.contains("PutObject")), owners.keySet().toString());
    }

    private static String operation(SdkRequest request) {
        return request.getClass().getSimpleName().replace("Request", "");
    }

    @Test
    void pruningAppliesRetentionToBothRegionsAndNativeBackupsAndKeepsEachTablesNewestBackup() {
        close();
        standUp(Map.of("BackupKeepDaily", "2", "BackupKeepWeekly", "1", "BackupKeepMonthly", "1"));
        fixture.putItems(reports, 5);
        List<RetentionPolicy.Snapshot> made = new ArrayList<>();
        for (int day = 0; day < 5; day++) {
            String runId = fixture.backUp();
            made.add(new RetentionPolicy.Snapshot(runId, BackupStore.startOf(runId).orElseThrow(), true));
            fixture.advance(Duration.ofHours(25));
        }
        fixture.advance(Duration.ofHours(-25));

        Set<String> expected = made.stream().map(RetentionPolicy.Snapshot::id).collect(Collectors.toCollection(TreeSet::new));
        expected.removeAll(new RetentionPolicy(2, 1, 1).toDelete(made, fixture.clock.instant()));
        assertTrue(expected.size() < made.size(), "something was pruned: " + expected);
        assertEquals(expected, new TreeSet<>(fixture.stores().primary().runIds()));
        assertEquals(expected, new TreeSet<>(fixture.stores().replica().runIds()), "the second region is pruned by the same rule");
        // Native backups carry the emulator's real creation time, one real day: retention keeps the newest only.
        assertEquals(1, fixture.stack.dynamoDb().listBackups(r -> r.tableName(reports)).backupSummaries().size());
    }

    @Test
    void aTablesOnlyBackupIsKeptWhatEverRetentionSaysOfItsRun() {
        close();
        standUp(Map.of("BackupKeepDaily", "1", "BackupKeepWeekly", "0", "BackupKeepMonthly", "0"));
        fixture.putItems(control, 2);
        String onlyGoodRunOfControl = fixture.backUp();
        fixture.stack.dynamoDb().updateContinuousBackups(r -> r.tableName(control).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
        for (int day = 0; day < 3; day++) {
            fixture.advance(Duration.ofHours(25));
            fixture.backUp();
        }

        assertTrue(fixture.stores().primary().tableManifest(onlyGoodRunOfControl, control).isPresent());
        assertTrue(fixture.stores().replica().tableManifest(onlyGoodRunOfControl, control).isPresent());
        assertEquals(2, fixture.stores().primary().runIds().size(), "the newest run and the last good one of " + control);
    }

    private static byte[] download(BackupStore store, String key) {
        return store.s3().getObjectAsBytes(r -> r.bucket(store.bucket()).key(key)).asByteArray();
    }
}
