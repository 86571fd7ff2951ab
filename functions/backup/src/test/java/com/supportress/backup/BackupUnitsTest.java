package com.supportress.backup;

import com.supportress.emulator.EmfDocument;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the backup functions' inputs, configuration, checksum comparison, step accounting and metric line. */
class BackupUnitsTest {

    @Test
    void theFinishersScheduleDeliversSchedulersRealPayload() {
        ScheduleEvent tick = SampleEvents.load("backup/finisher-schedule.json", ScheduleEvent.class);

        assertEquals("49672d39-8c3a-4cc6-8de5-c57b0acf718f", tick.correlationId());
        assertEquals("aws.scheduler", tick.source());
        assertEquals("{}", tick.detail(), "Scheduler's detail is a JSON string when a schedule sets no Input");
    }

    @Test
    void verifySchedulesSayWhatToDo() {
        VerifyInvocation start = SampleEvents.load("backup/verify-start.json", VerifyInvocation.class);
        VerifyInvocation more = SampleEvents.load("backup/verify-continue.json", VerifyInvocation.class);

        assertFalse(start.continues());
        assertTrue(more.continues());
        assertTrue(start.regionOption().isEmpty() && start.backupOption().isEmpty());
        assertThrows(RestoreRefusedException.class, () -> new VerifyInvocation("erase", null, null).check());
    }

    @Test
    void configurationRefusesWhatS3OrTheStackWouldNot() {
        Map<String, String> valid = Map.of("BACKUP_BUCKET", "b", "BACKUP_REPLICA_BUCKET", "r", "BACKUP_WORK_BUCKET", "w",
                "BACKUP_BUCKET_OWNER", "123456789012", "BACKUP_REPLICA_REGION", "us-west-2", "AWS_REGION", "us-east-1");
        BackupConfig config = BackupConfig.from(FunctionEnvironment.of(valid));

        assertEquals(256L * 1024 * 1024, config.partSize(10L * 1024 * 1024 * 1024), "the configured part size while 10,000 parts suffice");
        long terabyte = 1024L * 1024 * 1024 * 1024;
        assertTrue(config.partSize(terabyte) * 10_000 >= terabyte && config.partSize(terabyte) % (1024 * 1024) == 0, "larger parts past 2.4 TiB");
        assertFalse(config.copiesInParts(5L * 1024 * 1024 * 1024), "S3 copies 5 GiB in one CopyObject");
        assertTrue(config.copiesInParts(5L * 1024 * 1024 * 1024 + 1));
        for (Map<String, String> invalid : List.of(with(valid, "BACKUP_BUCKET_OWNER", "me"), with(valid, "BACKUP_REPLICA_REGION", "us-east-1"),
                with(valid, "BACKUP_COPY_PART_MB", "4"), with(valid, "BACKUP_COPY_MULTIPART_MB", "6000"))) {
            assertThrows(IllegalStateException.class, () -> BackupConfig.from(FunctionEnvironment.of(invalid)), invalid.toString());
        }
        assertThrows(IllegalStateException.class, () -> BackupConfig.from(FunctionEnvironment.of(with(valid, "BACKUP_WORK_BUCKET", ""))));
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> changed = new HashMap<>(base);
        changed.put(name, value);
        return changed;
    }

    @Test
    void workStopsBeforeLambdasDeadlineWithAMarginForTheCheckpoint() {
        Deadline local = Deadline.of(Optional.of(LocalLambdaContext.forFunction("BackupFinisherFunction")), Duration.ofMinutes(13));
        Deadline cli = Deadline.of(Optional.empty(), Duration.ofMinutes(13));

        // 30 s left (the local context): a quarter kept back; 15 minutes: 90 s kept back.
        assertTrue(local.remaining().compareTo(Duration.ofSeconds(21)) > 0 && local.remaining().compareTo(Duration.ofMillis(22_600)) < 0,
                local.remaining().toString());
        assertTrue(cli.remaining().compareTo(Duration.ofMinutes(12)) > 0, cli.remaining().toString());
        assertFalse(local.passed());
    }

    @Test
    void checksumsCompareDigestAndPartCountWhenBothShowOne() {
        assertTrue(Checksums.same("abc=", "abc="));
        assertTrue(Checksums.same("abc=-3", "abc=-3"));
        assertTrue(Checksums.same("abc=-3", "abc="), "an emulator that omits the part count");
        assertFalse(Checksums.same("abc=-3", "abc=-4"));
        assertFalse(Checksums.same("abc=", "abd="));
        assertFalse(Checksums.same("abc=", null));
    }

    @Test
    void aTableSettlesAfterThreeFailedAttemptsOfAStepAndProgressResetsTheCount() {
        RunState.TableState sealing = new RunState.TableState("t", "arn", List.of(), List.of(), List.of(), true, null, null, "export", null, 1L,
                TableStatus.SEALING, List.of(new RunState.FileState("a.gz", "exports/a.gz", 10, 1L, "e", null, 0, false, false)), 0, null, null);

        RunState.TableState once = sealing.failedAttempt("boom", BackupFinisher.ATTEMPTS);
        RunState.TableState progressed = once.withFile(once.files().getFirst().sealedWith("sha", 0));
        RunState.TableState thrice = once.failedAttempt("boom", 3).failedAttempt("boom", 3);
        RunState.TableState replicaGaveUp = sealing.withStatus(TableStatus.REPLICATING, Instant.EPOCH)
                .failedAttempt("x", 3).failedAttempt("x", 3).failedAttempt("x", 3);

        assertEquals(TableStatus.SEALING, once.status());
        assertEquals(1, once.attempts());
        assertEquals(0, progressed.attempts());
        assertEquals(TableStatus.FAILED, thrice.status());
        assertEquals(TableStatus.PRIMARY_ONLY, replicaGaveUp.status(), "complete in the stack's region, not copied");
    }

    @Test
    void theBackupAgeIsOneEmbeddedMetricDocumentPerTable() {
        List<String> lines = new ArrayList<>();
        EmbeddedMetrics metrics = new EmbeddedMetrics("Supportress/dev/Backup", lines::add,
                Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));

        BackupAges.publish(metrics, new BackupAges.TableAge("dev-UploadsTable-X1", 27.456, null));

        EmfDocument document = EmfDocument.parse(lines.getFirst());
        assertEquals(1, lines.size());
        assertEquals(1_700_000_000_000L, document.root().get("_aws").get("Timestamp").asLong());
        assertEquals("Supportress/dev/Backup", document.namespace());
        assertEquals(List.of(List.of("Table")), document.dimensionSets());
        assertEquals(Map.of("HoursSinceVerifiedBackup", "None"), document.units());
        assertEquals(Optional.of(27.46), document.value("HoursSinceVerifiedBackup", Map.of("Table", "dev-UploadsTable-X1")));
    }
}
