package com.supportress.backup;

import com.supportress.shared.config.FunctionEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: the operator's command line against the emulator, with the restore function's environment. */
@Tag("emulator")
class BackupCliIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void listRestoreAndVerifyFromTheCommandLine() {
        try (BackupFixture fixture = new BackupFixture(Map.of())) {
            String table = fixture.table("IntakeControlTable");
            String failing = fixture.table("BillingStateTable");
            fixture.putItems(table, 12);
            fixture.stack.dynamoDb().updateContinuousBackups(r -> r.tableName(failing).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
            String runId = fixture.backUp();
            fixture.advance(Duration.ofMinutes(1));
            String open = fixture.start().runId();
            FunctionEnvironment environment = fixture.stack.environment("BackupRestoreFunction");

            assertEquals(0, run(environment, "list"));
            assertTrue(stdout().contains(runId + "  complete"), stdout());
            assertTrue(stdout().contains("    " + table + "  VERIFIED  12 items"), stdout());
            assertTrue(stdout().contains("    " + failing + "  FAILED") && stdout().contains("point-in-time recovery is off"), stdout());
            assertTrue(stdout().contains(open + "  in progress"), stdout());
            assertTrue(stdout().indexOf(open) < stdout().indexOf(runId), "newest first: " + stdout());

            assertEquals(0, run(environment, "restore", "--table", table, "--backup", runId, "--into", table + "-cli"));
            assertTrue(stdout().contains("restored 12 items (manifest: 12) into " + table + "-cli by import"), stdout());
            assertEquals(12, fixture.stack.dynamoDb().scan(r -> r.tableName(table + "-cli")).count());

            assertEquals(2, run(environment, "restore", "--table", table, "--backup", runId, "--into", table + "-cli"));
            assertTrue(stderr().contains("refused: table " + table + "-cli is not empty"), stderr());

            assertEquals(1, run(fixture.stack.environment("BackupVerifyFunction"), "verify", "--backup", runId));
            assertTrue(stdout().contains("OK   TableResult[table=" + table), stdout());
            assertTrue(stdout().contains("FAIL TableResult[table=" + failing), "a run missing a table does not prove: " + stdout());
        }
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        FunctionEnvironment none = FunctionEnvironment.of(Map.of());

        assertEquals(2, run(none, "restore"));
        assertTrue(stderr().contains("restore needs --table"), stderr());
        assertEquals(2, run(none, "erase", "--everything"));
        assertTrue(stderr().contains("unknown command erase"), stderr());
        assertEquals(2, run(none, "verify", "--force"));
        assertTrue(stderr().contains("unknown option --force for verify"), stderr());
    }

    private int run(FunctionEnvironment environment, String... args) {
        out.reset();
        err.reset();
        return BackupCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
