package com.supportress.backup;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: backup, restore, verify and pruning against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per test. */
@Tag("emulator")
class BackupIT {

    private EmulatedStack stack;
    private MutableClock clock;
    private ApplicationContext backupContext;
    private ApplicationContext restoreContext;
    private BackupHandler backup;
    private RestoreService restore;
    private BackupStores stores;
    private String reportsTable;
    private String controlTable;

    @BeforeEach
    void standUpStack() {
        standUp(Map.of("BackupScanSegments", "3"));
    }

    private void standUp(Map<String, String> parameters) {
        stack = EmulatedStack.create(parameters);
        clock = new MutableClock(Instant.now());
        backupContext = stack.start("BackupFunction", clock);
        restoreContext = stack.start("BackupRestoreFunction", clock);
        backup = new BackupHandler(backupContext);
        restore = restoreContext.getBean(RestoreService.class);
        stores = backupContext.getBean(BackupStores.class);
        reportsTable = stack.physicalName("IncidentReportsTable");
        controlTable = stack.physicalName("IntakeControlTable");
    }

    /** Every table template.yaml declares, by the name this stack gives it. */
    private Set<String> everyTemplateTable() {
        return stack.template().resourcesOfType("AWS::DynamoDB::Table").keySet().stream()
                .map(stack::physicalName).collect(Collectors.toSet());
    }

    @AfterEach
    void close() {
        backup.close();
        restoreContext.close();
    }

    @Test
    void dailyRunBacksUpEveryTableWithAManifestInBothRegionsAndANativeBackup() throws IOException {
        putItems(reportsTable, 250);
        putItems(controlTable, 3);

        BackupReport report = runBackup();

        Manifest manifest = stores.primary().manifest(report.runId()).orElseThrow();
        assertEquals(Manifest.FORMAT_VERSION, manifest.formatVersion());
        assertEquals(everyTemplateTable(), manifest.tables().stream().map(Manifest.TableBackup::table).collect(Collectors.toSet()));
        Manifest.TableBackup reports = manifest.table(reportsTable).orElseThrow();
        assertEquals(250, reports.itemCount());
        assertEquals(3, manifest.table(controlTable).orElseThrow().itemCount());
        assertEquals(List.of(new Manifest.KeyAttribute("id", "HASH", "S")), reports.keySchema());
        assertEquals(Set.of("PendingNotifications", "ByStatus"), reports.globalSecondaryIndexes().stream().map(Manifest.Index::name).collect(Collectors.toSet()));
        assertTrue(reports.pointInTimeRecovery());
        assertFalse(manifest.finishedAt().isBefore(manifest.startedAt()));
        assertEquals(250, reports.files().stream().mapToLong(Manifest.BackupFile::items).sum());
        for (Manifest.TableBackup table : manifest.tables()) {
            for (Manifest.BackupFile file : table.files()) {
                for (S3Client s3 : List.of(stack.s3(), stack.s3(stack.secondaryRegion()))) {
                    String bucket = s3 == stack.s3() ? stores.primary().bucket() : stores.replica().bucket();
                    byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(file.key())).asByteArray();
                    assertEquals(file.sha256(), sha256(stored), file.key() + " in " + bucket);
                    assertEquals(file.bytes(), stored.length);
                }
            }
        }
        assertEquals(manifest, stores.replica().manifest(report.runId()).orElseThrow(), "the copy in the second region has the same manifest");
        for (String table : List.of(reportsTable, controlTable)) {
            var backups = stack.dynamoDb().listBackups(r -> r.tableName(table)).backupSummaries();
            assertEquals(List.of(NativeBackups.NAME_PREFIX + report.runId()), backups.stream().map(b -> b.backupName()).toList());
        }
    }

    @Test
    void aSegmentLargerThanTheFileLimitRollsOverIntoSeveralFilesThatRestoreWhole() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2500; i++) {
            byte[] noise = new byte[1000];
            random.nextBytes(noise);
            items.add(Map.of("id", AttributeValue.fromS("big-" + i), "noise", AttributeValue.fromB(SdkBytes.fromByteArray(noise))));
        }
        write(reportsTable, items);
        BackupConfig base = backupContext.getBean(BackupConfig.class);
        BackupConfig oneMegabyteFiles = new BackupConfig(List.of(reportsTable), base.bucket(), base.replicaBucket(), base.region(),
                base.replicaRegion(), 1, 1024 * 1024, base.retention(), base.scratchTablePrefix());

        BackupReport report = new BackupService(stack.dynamoDb(), stores, oneMegabyteFiles, clock).run();

        Manifest.TableBackup backup = stores.primary().manifest(report.runId()).orElseThrow().table(reportsTable).orElseThrow();
        assertTrue(backup.files().size() >= 2, backup.files().toString());
        assertTrue(backup.files().stream().allMatch(f -> f.key().contains("/000-")), "one segment, several files");
        var restored = restore.restore(request(reportsTable, Optional.of(report.runId()), false), m -> { });
        assertEquals(2500, restored.restoredItems());
        assertEquals(byId(scan(reportsTable)), byId(scan(restored.targetTable())));
    }

    @Test
    void aSecondRunOnTheSameDayTakesNoSecondNativeBackup() {
        putItems(reportsTable, 5);
        runBackup();

        BackupReport second = runBackup();

        assertEquals(0, second.nativeBackupsCreated());
        assertEquals(1, stack.dynamoDb().listBackups(r -> r.tableName(reportsTable)).backupSummaries().size());
    }

    @Test
    void roundTripOfEveryDynamoDbTypeIsEqualItemForItem() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(DynamoJsonTest.everyType("item-" + i));
        }
        write(reportsTable, items);
        BackupReport report = runBackup();

        RestoreService.RestoreReport restored = restore.restore(request(reportsTable, Optional.empty(), false), message -> { });

        assertEquals(reportsTable + "-restored-" + report.runId(), restored.targetTable());
        assertEquals(60, restored.restoredItems());
        assertEquals(60, restored.manifestItems());
        assertEquals(byId(scan(reportsTable)), byId(scan(restored.targetTable())));
        var description = stack.dynamoDb().describeTable(r -> r.tableName(restored.targetTable())).table();
        assertEquals("PendingNotifications", description.globalSecondaryIndexes().getFirst().indexName(), "indexes are recreated");
    }

    @Test
    void restoreIntoAnEmptyTableWorksButANonEmptyOneNeedsForce() {
        putItems(reportsTable, 30);
        runBackup();
        String target = restore.restore(request(reportsTable, Optional.empty(), false), message -> { }).targetTable();
        stack.dynamoDb().putItem(r -> r.tableName(target).item(Map.of("id", AttributeValue.fromS("written-after-restore"))));

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(new RestoreService.RestoreRequest(reportsTable, Optional.empty(), Optional.of(target), false, Optional.empty()), m -> { }));
        assertTrue(refused.getMessage().contains(target) && refused.getMessage().contains("--force"), refused.getMessage());
        assertEquals(31, scan(target).size());

        var forced = restore.restore(new RestoreService.RestoreRequest(reportsTable, Optional.empty(), Optional.of(target), true, Optional.empty()), m -> { });
        assertEquals(30, forced.restoredItems());
        assertEquals(31, scan(target).size());
    }

    @Test
    void restoreReportsProgressAndCanReadTheCopyInTheSecondRegion() {
        putItems(reportsTable, 40);
        BackupReport report = runBackup();
        List<String> progress = new ArrayList<>();

        var restored = restore.restore(new RestoreService.RestoreRequest(reportsTable, Optional.of(report.runId()), Optional.empty(), false,
                Optional.of(stack.secondaryRegion().id())), progress::add);

        assertEquals(stack.secondaryRegion().id(), restored.region());
        assertEquals(40, scan(restored.targetTable()).size());
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("checked ")), progress.toString());
        assertTrue(progress.getLast().contains("restored 40 of 40"), progress.toString());
    }

    @Test
    void operatorFunctionRestoresTheLatestBackup() {
        putItems(reportsTable, 15);
        BackupReport backupReport = runBackup();

        try (BackupRestoreHandler operator = new BackupRestoreHandler(stack.start("BackupRestoreFunction", clock))) {
            RestoreService.RestoreReport report = operator.handleRequest(new RestoreInvocation(reportsTable, null, null, null, null), null);

            assertEquals(backupReport.runId(), report.backupId());
            assertEquals(15, report.restoredItems());
            assertEquals(15, scan(report.targetTable()).size());
        }
    }

    @Test
    void corruptedFileIsRefusedNamingFileExpectedAndActualAndNothingIsWritten() {
        putItems(reportsTable, 50);
        BackupReport report = runBackup();
        Manifest.BackupFile file = stores.primary().manifest(report.runId()).orElseThrow().table(reportsTable).orElseThrow().files().getFirst();
        byte[] stored = stack.s3().getObjectAsBytes(r -> r.bucket(stores.primary().bucket()).key(file.key())).asByteArray();
        stored[stored.length / 2] ^= 0x5a;
        stack.s3().putObject(r -> r.bucket(stores.primary().bucket()).key(file.key()), RequestBody.fromBytes(stored));
        List<String> tablesBefore = stack.dynamoDb().listTables().tableNames();

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reportsTable, Optional.empty(), false), m -> { }));

        assertTrue(refused.getMessage().contains(file.key()), refused.getMessage());
        assertTrue(refused.getMessage().contains(file.sha256()), refused.getMessage());
        assertTrue(refused.getMessage().contains(sha256(stored)), refused.getMessage());
        assertEquals(tablesBefore, stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void truncatedFileIsRefusedAndNothingIsWritten() {
        putItems(reportsTable, 50);
        BackupReport report = runBackup();
        Manifest.BackupFile file = stores.primary().manifest(report.runId()).orElseThrow().table(reportsTable).orElseThrow().files().getLast();
        byte[] stored = stack.s3().getObjectAsBytes(r -> r.bucket(stores.primary().bucket()).key(file.key())).asByteArray();
        stack.s3().putObject(r -> r.bucket(stores.primary().bucket()).key(file.key()), RequestBody.fromBytes(java.util.Arrays.copyOf(stored, stored.length / 2)));
        List<String> tablesBefore = stack.dynamoDb().listTables().tableNames();

        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reportsTable, Optional.empty(), false), m -> { }));

        assertTrue(refused.getMessage().contains("checksum mismatch in file " + file.key()), refused.getMessage());
        assertEquals(tablesBefore, stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void unknownBackupMissingTableAndWrongRegionAreClearErrorsThatChangeNothing() {
        putItems(reportsTable, 5);
        BackupReport report = runBackup();
        List<String> tablesBefore = stack.dynamoDb().listTables().tableNames();

        var unknown = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request(reportsTable, Optional.of("20200101T000000Z-nope00"), false), m -> { }));
        var missing = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(request("no-such-table", Optional.empty(), false), m -> { }));
        var region = assertThrows(RestoreRefusedException.class,
                () -> restore.restore(new RestoreService.RestoreRequest(reportsTable, Optional.empty(), Optional.empty(), false, Optional.of("eu-north-1")), m -> { }));

        assertTrue(unknown.getMessage().contains("no complete backup 20200101T000000Z-nope00") && unknown.getMessage().contains(report.runId()), unknown.getMessage());
        assertTrue(missing.getMessage().contains("holds no table no-such-table") && missing.getMessage().contains(reportsTable), missing.getMessage());
        assertTrue(region.getMessage().contains("eu-north-1") && region.getMessage().contains(stack.secondaryRegion().id()), region.getMessage());
        assertEquals(tablesBefore, stack.dynamoDb().listTables().tableNames());
    }

    @Test
    void weeklyVerifyRestoresIntoScratchTablesComparesAndDropsThem() {
        putItems(reportsTable, 80);
        putItems(controlTable, 7);
        BackupReport report = runBackup();
        List<String> tablesBefore = stack.dynamoDb().listTables().tableNames();

        try (BackupVerifyHandler verify = new BackupVerifyHandler(stack.start("BackupVerifyFunction", clock))) {
            RestoreService.VerifyReport result = verify.handleRequest(scheduledEvent(), null);

            assertEquals(report.runId(), result.backupId());
            assertTrue(result.matches(), result.toString());
            Map<String, Long> restored = result.tables().stream()
                    .collect(Collectors.toMap(RestoreService.TableCheck::table, RestoreService.TableCheck::restoredItems));
            assertEquals(everyTemplateTable(), restored.keySet());
            assertEquals(80L, restored.get(reportsTable));
            assertEquals(7L, restored.get(controlTable));
        }
        assertEquals(tablesBefore, stack.dynamoDb().listTables().tableNames(), "scratch tables are dropped");
    }

    @Test
    void weeklyVerifyFailsWhenTheBackupNoLongerMatchesItsManifest() throws IOException {
        putItems(reportsTable, 20);
        BackupReport report = runBackup();
        Manifest manifest = stores.primary().manifest(report.runId()).orElseThrow();
        List<Manifest.TableBackup> tampered = manifest.tables().stream()
                .map(t -> t.table().equals(reportsTable) ? new Manifest.TableBackup(t.table(), t.keySchema(), t.globalSecondaryIndexes(),
                        t.localSecondaryIndexes(), t.pointInTimeRecovery(), t.itemCount() + 1, t.bytes(), t.contentHash(), t.files()) : t)
                .toList();
        byte[] body = backupContext.getBean(JsonMapper.class).writeValueAsBytes(new Manifest(manifest.formatVersion(), manifest.runId(),
                manifest.region(), manifest.startedAt(), manifest.finishedAt(), tampered));
        stack.s3().putObject(r -> r.bucket(stores.primary().bucket()).key(BackupStore.manifestKey(report.runId())), RequestBody.fromBytes(body));
        List<String> tablesBefore = stack.dynamoDb().listTables().tableNames();

        try (BackupVerifyHandler verify = new BackupVerifyHandler(stack.start("BackupVerifyFunction", clock))) {
            IllegalStateException failed = assertThrows(IllegalStateException.class, () -> verify.handleRequest(scheduledEvent(), null));
            assertTrue(failed.getMessage().contains(reportsTable), failed.getMessage());
        }
        assertEquals(tablesBefore, stack.dynamoDb().listTables().tableNames(), "scratch tables are dropped after a failure too");
    }

    @Test
    void pruningAppliesRetentionToBothRegionsAndNativeBackups() {
        close();
        standUp(Map.of("BackupKeepDaily", "2", "BackupKeepWeekly", "1", "BackupKeepMonthly", "1"));
        putItems(reportsTable, 5);
        Instant staleStart = clock.instant().minus(Duration.ofDays(3));
        String staleIncomplete = BackupStore.newRunId(staleStart);
        String freshIncomplete = BackupStore.newRunId(clock.instant());
        for (String runId : List.of(staleIncomplete, freshIncomplete)) {
            stack.s3().putObject(r -> r.bucket(stores.primary().bucket()).key(BackupStore.fileKey(runId, reportsTable, 0, 0)), RequestBody.fromString("partial"));
        }
        List<RetentionPolicy.Snapshot> made = new ArrayList<>(List.of(
                new RetentionPolicy.Snapshot(staleIncomplete, staleStart, false),
                new RetentionPolicy.Snapshot(freshIncomplete, BackupStore.startOf(freshIncomplete).orElseThrow(), false)));

        for (int day = 0; day < 6; day++) {
            BackupReport report = runBackup();
            made.add(new RetentionPolicy.Snapshot(report.runId(), BackupStore.startOf(report.runId()).orElseThrow(), true));
            clock.advance(Duration.ofHours(25));
        }

        clock.advance(Duration.ofHours(-25));
        Set<String> expected = made.stream().map(RetentionPolicy.Snapshot::id).collect(Collectors.toCollection(TreeSet::new));
        expected.removeAll(new RetentionPolicy(2, 1, 1).toDelete(made, clock.instant()));
        assertFalse(expected.contains(staleIncomplete));
        assertTrue(expected.contains(made.getLast().id()));
        assertEquals(expected, new TreeSet<>(stores.primary().runIds()));
        expected.remove(freshIncomplete);
        assertEquals(expected, new TreeSet<>(stores.replica().runIds()), "the second region is pruned by the same rule");
        // All native backups carry the emulator's real creation time, one real day: retention keeps the newest only.
        assertEquals(1, stack.dynamoDb().listBackups(r -> r.tableName(reportsTable)).backupSummaries().size());
    }

    @Test
    void aTableWithoutPointInTimeRecoveryFailsTheRunButKeepsTheBackup() {
        putItems(controlTable, 4);
        stack.dynamoDb().updateContinuousBackups(r -> r.tableName(controlTable).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));

        BackupFailedException failed = assertThrows(BackupFailedException.class, this::runBackup);

        assertTrue(failed.getMessage().contains(controlTable), failed.getMessage());
        Manifest latest = stores.primary().latest().orElseThrow();
        assertFalse(latest.table(controlTable).orElseThrow().pointInTimeRecovery());
        assertEquals(4, latest.table(controlTable).orElseThrow().itemCount());
    }

    private BackupReport runBackup() {
        return backup.handleRequest(scheduledEvent(), null);
    }

    private static ScheduleEvent scheduledEvent() {
        return SampleEvents.load("backup/daily-schedule.json", ScheduleEvent.class);
    }

    private static RestoreService.RestoreRequest request(String table, Optional<String> backupId, boolean force) {
        return new RestoreService.RestoreRequest(table, backupId, Optional.empty(), force, Optional.empty());
    }

    private void putItems(String table, int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Map.of(table.endsWith("IntakeControlTable") ? "pk" : "id", AttributeValue.fromS("item-" + i),
                    "payload", AttributeValue.fromS("x".repeat(200)), "n", AttributeValue.fromN(Integer.toString(i))));
        }
        write(table, items);
    }

    private void write(String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
            stack.dynamoDb().batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
        }
    }

    private List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        stack.dynamoDb().scanPaginator(r -> r.tableName(table)).items().forEach(items::add);
        return items;
    }

    /** Items by id with set members sorted, since DynamoDB sets have no order. */
    private static Map<String, Map<String, AttributeValue>> byId(List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> byId = new TreeMap<>();
        items.forEach(item -> byId.put(item.get("id").s(), normalise(item)));
        return byId;
    }

    private static Map<String, AttributeValue> normalise(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> normal = new HashMap<>();
        item.forEach((name, value) -> normal.put(name, normalise(value)));
        return normal;
    }

    private static AttributeValue normalise(AttributeValue value) {
        return switch (value.type()) {
            case SS -> AttributeValue.fromSs(value.ss().stream().sorted().toList());
            case NS -> AttributeValue.fromNs(value.ns().stream().sorted().toList());
            case BS -> AttributeValue.fromBs(value.bs().stream()
                    .sorted(Comparator.comparing((SdkBytes b) -> Base64.getEncoder().encodeToString(b.asByteArray()))).toList());
            case M -> AttributeValue.fromM(normalise(value.m()));
            case L -> AttributeValue.fromL(value.l().stream().map(BackupIT::normalise).toList());
            default -> value;
        };
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
