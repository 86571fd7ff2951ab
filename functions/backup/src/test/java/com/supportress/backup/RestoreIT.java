package com.supportress.backup;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.RecordedMetrics;
import com.supportress.emulator.SampleEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: restores by ImportTable and by writing, refusals, and the weekly proof, against the emulator. */
@Tag("emulator")
class RestoreIT {

    private BackupFixture fixture;
    private RestoreService restore;
    private String reports;

    @BeforeEach
    void standUp() {
        fixture = new BackupFixture(Map.of("BackupScanSegments", "3"));
        restore = fixture.context("BackupRestoreFunction").getBean(RestoreService.class);
        reports = fixture.table("IncidentReportsTable");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Every type, in values the emulator's import reads intact (see DynamoJsonTest.everyTypeMotoImports); the write path takes the rest. */
    @Test
    void everyDynamoDbTypeSurvivesExportAndImportItemForItem() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(DynamoJsonTest.everyTypeMotoImports("item-" + i));
        }
        fixture.write(reports, items);
        String runId = fixture.backUp();

        RestoreService.RestoreReport restored = restore.restore(request(reports, Optional.empty(), Optional.empty()), soon(), m -> { });

        assertEquals(reports + "-restored-" + runId, restored.targetTable());
        assertEquals("import", restored.method());
        assertEquals("COMPLETED", restored.status());
        assertEquals(60, restored.restoredItems());
        assertEquals(BackupFixture.byKey("id", fixture.scan(reports)), BackupFixture.byKey("id", fixture.scan(restored.targetTable())));
        var description = fixture.stack.dynamoDb().describeTable(r -> r.tableName(restored.targetTable())).table();
        assertEquals("PendingNotifications", description.globalSecondaryIndexes().getFirst().indexName(), "indexes are recreated");
    }

    @Test
    void everyDynamoDbTypeSurvivesExportAndTheWritePathItemForItem() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            items.add(DynamoJsonTest.everyType("item-" + i));
        }
        fixture.write(reports, items);
        fixture.backUp();
        String target = reports + "-copy";
        fixture.stack.dynamoDb().createTable(r -> r.tableName(target).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S")).keySchema(k -> k.attributeName("id").keyType("HASH")));

        RestoreService.RestoreReport restored = restore.restore(request(reports, Optional.empty(), Optional.of(target)), soon(), m -> { });

        assertEquals("write", restored.method());
        assertEquals(BackupFixture.byKey("id", fixture.scan(reports)), BackupFixture.byKey("id", fixture.scan(target)));
    }

    @Test
    void importsFromTheCopyInTheSecondRegionAfterCheckingItsChecksums() {
        fixture.putItems(reports, 40);
        String runId = fixture.backUp();
        List<String> progress = new ArrayList<>();

        var restored = restore.restore(new RestoreService.RestoreRequest(reports, Optional.of(runId), Optional.empty(), false,
                Optional.of(fixture.stack.secondaryRegion().id())), soon(), progress::add);

        assertEquals(fixture.stack.secondaryRegion().id(), restored.region());
        assertEquals(40, fixture.scan(restored.targetTable()).size());
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("checked 1/")), progress.toString());
        assertTrue(progress.getLast().contains("imported 40 of 40"), progress.toString());
    }

    @Test
    void restoreIntoAnExistingTableWritesAndNeedsForceWhenItHoldsItems() {
        fixture.putItems(reports, 30);
        fixture.backUp();
        String target = restore.restore(request(reports, Optional.empty(), Optional.empty()), soon(), m -> { }).targetTable();
        fixture.stack.dynamoDb().putItem(r -> r.tableName(target).item(Map.of("id", AttributeValue.fromS("written-after-restore"))));

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reports, Optional.empty(), Optional.of(target)), soon(), m -> { }));
        assertTrue(refused.getMessage().contains(target) && refused.getMessage().contains("--force"), refused.getMessage());
        assertEquals(31, fixture.scan(target).size());

        var forced = restore.restore(new RestoreService.RestoreRequest(reports, Optional.empty(), Optional.of(target), true, Optional.empty()), soon(), m -> { });
        assertEquals("write", forced.method());
        assertEquals(30, forced.restoredItems());
        assertEquals(31, fixture.scan(target).size());
    }

    @Test
    void aTamperedFileIsRefusedNamingTheFileAndBothChecksumsAndNothingIsCreated() {
        fixture.putItems(reports, 50);
        String runId = fixture.backUp();
        BackupStore primary = fixture.stores().primary();
        TableManifest.BackupFile file = primary.tableManifest(runId, reports).orElseThrow().files().getFirst();
        byte[] stored = primary.s3().getObjectAsBytes(r -> r.bucket(primary.bucket()).key(file.key())).asByteArray();
        stored[stored.length / 2] ^= 0x5a;
        primary.s3().putObject(r -> r.bucket(primary.bucket()).key(file.key()).checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(stored));
        List<String> tablesBefore = fixture.stack.dynamoDb().listTables().tableNames();

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reports, Optional.empty(), Optional.empty()), soon(), m -> { }));

        assertTrue(refused.getMessage().contains("checksum mismatch in file " + file.key()), refused.getMessage());
        assertTrue(refused.getMessage().contains(file.sha256()), refused.getMessage());
        assertTrue(refused.getMessage().contains(BackupFixture.sha256(stored)), refused.getMessage());
        assertEquals(tablesBefore, fixture.stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void aTruncatedFileIsRefusedAndNothingIsCreated() {
        fixture.putItems(reports, 50);
        String runId = fixture.backUp();
        BackupStore replica = fixture.stores().replica();
        TableManifest.BackupFile file = replica.tableManifest(runId, reports).orElseThrow().files().getLast();
        byte[] stored = replica.s3().getObjectAsBytes(r -> r.bucket(replica.bucket()).key(file.key())).asByteArray();
        replica.s3().putObject(r -> r.bucket(replica.bucket()).key(file.key()), RequestBody.fromBytes(Arrays.copyOf(stored, stored.length / 2)));
        List<String> tablesBefore = fixture.stack.dynamoDb().listTables().tableNames();

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class, () -> restore.restore(new RestoreService.RestoreRequest(
                reports, Optional.of(runId), Optional.empty(), false, Optional.of(fixture.stack.secondaryRegion().id())), soon(), m -> { }));

        assertTrue(refused.getMessage().contains("checksum mismatch in file " + file.key()), refused.getMessage());
        assertTrue(refused.getMessage().contains(stored.length / 2 + " bytes"), refused.getMessage());
        assertEquals(tablesBefore, fixture.stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void aFileAddedBesideTheBackupIsRefusedSinceImportWouldReadIt() {
        fixture.putItems(reports, 5);
        String runId = fixture.backUp();
        BackupStore primary = fixture.stores().primary();
        String stray = BackupStore.dataPrefix(runId, reports) + "stray.json.gz";
        primary.s3().putObject(r -> r.bucket(primary.bucket()).key(stray), RequestBody.fromString("{\"Item\":{\"id\":{\"S\":\"planted\"}}}"));

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reports, Optional.empty(), Optional.empty()), soon(), m -> { }));

        assertTrue(refused.getMessage().contains("file " + stray + " under"), refused.getMessage());
    }

    @Test
    void unknownBackupMissingTableFailedTableAndWrongRegionAreClearRefusals() {
        String control = fixture.table("IntakeControlTable");
        fixture.putItems(reports, 5);
        fixture.stack.dynamoDb().updateContinuousBackups(r -> r.tableName(control).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
        String runId = fixture.backUp();
        List<String> tablesBefore = fixture.stack.dynamoDb().listTables().tableNames();

        var unknown = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reports, Optional.of("20200101T000000Z-nope00"), Optional.empty()), soon(), m -> { }));
        var missing = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request("no-such-table", Optional.of(runId), Optional.empty()), soon(), m -> { }));
        var failed = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(control, Optional.of(runId), Optional.empty()), soon(), m -> { }));
        var region = assertThrows(RestoreRefusedException.class, () -> restore.restore(new RestoreService.RestoreRequest(reports, Optional.empty(),
                Optional.empty(), false, Optional.of("eu-north-1")), soon(), m -> { }));

        assertTrue(unknown.getMessage().contains("no complete backup 20200101T000000Z-nope00") && unknown.getMessage().contains(runId), unknown.getMessage());
        assertTrue(missing.getMessage().contains("holds no table no-such-table") && missing.getMessage().contains(reports), missing.getMessage());
        assertTrue(failed.getMessage().contains("has no backup in run " + runId) && failed.getMessage().contains("FAILED")
                && failed.getMessage().contains("point-in-time recovery is off"), failed.getMessage());
        assertTrue(region.getMessage().contains("eu-north-1") && region.getMessage().contains(fixture.stack.secondaryRegion().id()), region.getMessage());
        assertEquals(tablesBefore, fixture.stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void operatorFunctionRestoresTheLatestBackup() {
        fixture.putItems(reports, 15);
        String runId = fixture.backUp();

        try (BackupRestoreHandler operator = new BackupRestoreHandler(fixture.stack.start("BackupRestoreFunction", fixture.clock))) {
            RestoreService.RestoreReport report = operator.handleRequest(new RestoreInvocation(reports, null, null, null, null), null);

            assertEquals(runId, report.backupId());
            assertEquals(15, report.restoredItems());
            assertEquals(15, fixture.scan(report.targetTable()).size());
        }
    }

    @Test
    void weeklyProofImportsEveryTableReadsItBackAgainstTheFilesAndDropsTheScratchTables() {
        for (int i = 0; i < 40; i++) {
            fixture.write(reports, List.of(DynamoJsonTest.everyTypeMotoImports("proof-" + i)));
        }
        fixture.putItems(fixture.table("IntakeControlTable"), 7);
        String runId = fixture.backUp();
        List<String> tablesBefore = fixture.stack.dynamoDb().listTables().tableNames();
        RecordedMetrics metrics = fixture.metrics("BackupVerifyFunction");

        try (BackupVerifyHandler verify = new BackupVerifyHandler(fixture.stack.start("BackupVerifyFunction", fixture.clock, metrics.metrics()))) {
            BackupProof.Report primary = proveUntilDone(verify, new VerifyInvocation("start", EmulatedStack.REGION.id(), null));
            BackupProof.Report secondary = proveUntilDone(verify, new VerifyInvocation("start", fixture.stack.secondaryRegion().id(), null));

            for (BackupProof.Report report : List.of(primary, secondary)) {
                assertEquals(runId, report.runId());
                assertTrue(report.passed(), report.toString());
                assertEquals(fixture.templateTables().size(), report.tables().size());
                BackupProof.TableResult proven = report.tables().stream().filter(t -> t.table().equals(reports)).findFirst().orElseThrow();
                assertEquals(40L, proven.importedItems());
                assertEquals(proven.tableHash(), proven.filesHash());
                assertTrue(fixture.stores().primary().head(WorkBucket.proofKey(report.proofId())).isPresent(), "the result is recorded");
            }
        }
        assertEquals(tablesBefore, fixture.stack.dynamoDb().listTables().tableNames(), "scratch tables are dropped");
        for (String table : fixture.templateTables()) {
            assertEquals(2, metrics.sum(BackupProof.RESULT_METRIC, Map.of(BackupAges.TABLE_DIMENSION, table, "Result", "passed")),
                    table + ": one passed restore test per proof, counted once though the schedule continued each proof");
        }
        assertEquals(0, metrics.sum(BackupProof.RESULT_METRIC, Map.of("Result", "failed")));
    }

    @Test
    void weeklyProofFailsWhenTheImportDoesNotHoldWhatTheManifestSays() throws IOException {
        fixture.putItems(reports, 20);
        String runId = fixture.backUp();
        BackupStore primary = fixture.stores().primary();
        TableManifest honest = primary.tableManifest(runId, reports).orElseThrow();
        TableManifest inflated = new TableManifest(honest.formatVersion(), honest.runId(), honest.table(), honest.tableArn(), honest.exportArn(),
                honest.exportTime(), honest.keySchema(), honest.globalSecondaryIndexes(), honest.localSecondaryIndexes(),
                honest.pointInTimeRecovery(), honest.itemCount() + 1, honest.bytes(), honest.files());
        primary.s3().putObject(r -> r.bucket(primary.bucket()).key(BackupStore.tableManifestKey(runId, reports)),
                RequestBody.fromBytes(fixture.json().writeValueAsBytes(inflated)));
        List<String> tablesBefore = fixture.stack.dynamoDb().listTables().tableNames();
        RecordedMetrics metrics = fixture.metrics("BackupVerifyFunction");

        try (BackupVerifyHandler verify = new BackupVerifyHandler(fixture.stack.start("BackupVerifyFunction", fixture.clock, metrics.metrics()))) {
            IllegalStateException failed = assertThrows(IllegalStateException.class,
                    () -> proveUntilDone(verify, new VerifyInvocation("start", EmulatedStack.REGION.id(), runId)));
            assertTrue(failed.getMessage().contains(reports) && failed.getMessage().contains("the backup holds 21"), failed.getMessage());
        }
        assertEquals(tablesBefore, fixture.stack.dynamoDb().listTables().tableNames(), "scratch tables are dropped after a failure too");
        assertEquals(1, metrics.sum(BackupProof.RESULT_METRIC, Map.of(BackupAges.TABLE_DIMENSION, reports, "Result", "failed")));
        assertEquals(0, metrics.sum(BackupProof.RESULT_METRIC, Map.of(BackupAges.TABLE_DIMENSION, reports, "Result", "passed")));
        assertEquals(fixture.templateTables().size() - 1, metrics.sum(BackupProof.RESULT_METRIC, Map.of("Result", "passed")),
                "the other tables' restore tests passed");
    }

    @Test
    void weeklyProofFailsWhenTheImportedTableDiffersFromTheFilesInOneValue() {
        fixture.putItems(reports, 25);
        String runId = fixture.backUp();
        BackupConfig config = fixture.config("BackupVerifyFunction", Map.of("BACKUP_SCAN_SEGMENTS", "2"));
        AtomicBoolean changed = new AtomicBoolean();
        // Between DynamoDB's import and the proof's first read of the scratch table, one value changes; every
        // segment's first page waits for that change (segments scan in parallel).
        DynamoDbClient dynamoDb = fixture.dynamoDb(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ScanRequest scan && scan.tableName().contains("-verify-")) {
                    synchronized (changed) {
                        if (changed.compareAndSet(false, true)) {
                            fixture.stack.dynamoDb().putItem(r -> r.tableName(scan.tableName()).item(Map.of("id", AttributeValue.fromS("item-3"),
                                    "payload", AttributeValue.fromS("x".repeat(199) + "y"), "n", AttributeValue.fromN("3"))));
                        }
                    }
                }
            }
        });
        BackupProof proofs = new BackupProof(dynamoDb, fixture.stores(), config, fixture.clock, fixture.metrics("BackupVerifyFunction").metrics());

        BackupProof.Report report = proofs.start(Optional.of(EmulatedStack.REGION.id()), Optional.of(runId), soon());
        while (!report.finished()) {
            RestoreService.sleep(200);
            report = proofs.advance(report.proofId(), soon()).orElseThrow();
        }

        assertTrue(changed.get());
        BackupProof.TableResult proven = report.tables().stream().filter(t -> t.table().equals(reports)).findFirst().orElseThrow();
        assertEquals(ProofState.ProofStatus.FAILED, proven.status());
        assertEquals(25L, proven.importedItems(), "same count: only the content hash can tell");
        assertTrue(proven.error().contains("content hash differs"), proven.error());
        assertFalse(report.passed());
    }

    @Test
    void theContinueScheduleIsQuietWhenNoProofIsOpen() {
        try (BackupVerifyHandler verify = new BackupVerifyHandler(fixture.stack.start("BackupVerifyFunction", fixture.clock))) {
            assertEquals(List.of(), verify.handleRequest(SampleEvents.load("backup/verify-continue.json", VerifyInvocation.class), null));
        }
    }

    /** Starts a proof and runs the continue schedule until it is finished (the emulator imports in a thread of its own). */
    private static BackupProof.Report proveUntilDone(BackupVerifyHandler verify, VerifyInvocation start) {
        BackupProof.Report report = verify.handleRequest(start, null).getFirst();
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!report.finished()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("proof did not finish: " + report);
            }
            RestoreService.sleep(200);
            String proofId = report.proofId();
            report = verify.handleRequest(new VerifyInvocation("continue", null, null), null).stream()
                    .filter(r -> r.proofId().equals(proofId)).findFirst().orElse(report);
        }
        return report;
    }

    private static RestoreService.RestoreRequest request(String table, Optional<String> backupId, Optional<String> target) {
        return new RestoreService.RestoreRequest(table, backupId, target, false, Optional.empty());
    }

    private static Deadline soon() {
        return Deadline.after(Duration.ofMinutes(2));
    }
}
