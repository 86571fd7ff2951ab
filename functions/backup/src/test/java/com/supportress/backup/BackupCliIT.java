package com.supportress.backup;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        EmulatedStack stack = EmulatedStack.create(Map.of());
        String table = stack.physicalName("IntakeControlTable");
        for (int i = 0; i < 12; i++) {
            stack.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k" + Math.random()))));
        }
        String runId;
        try (BackupHandler backup = new BackupHandler(stack.start("BackupFunction"))) {
            runId = backup.handleRequest(SampleEvents.load("backup/daily-schedule.json", ScheduleEvent.class), null).runId();
        }
        FunctionEnvironment environment = stack.environment("BackupRestoreFunction");

        assertEquals(0, run(environment, "list"));
        assertTrue(stdout().contains(runId + "  complete"), stdout());

        assertEquals(0, run(environment, "restore", "--table", table, "--into", table + "-cli"));
        assertTrue(stdout().contains("restored 12 items (manifest: 12) into " + table + "-cli"), stdout());
        assertEquals(12, stack.dynamoDb().scan(r -> r.tableName(table + "-cli")).count());

        assertEquals(2, run(environment, "restore", "--table", table, "--into", table + "-cli"));
        assertTrue(stderr().contains("refused: table " + table + "-cli is not empty"), stderr());

        assertEquals(0, run(environment, "verify", "--backup", runId));
        assertTrue(stdout().contains("OK   TableCheck[table=" + table), stdout());
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        FunctionEnvironment none = FunctionEnvironment.of(Map.of());

        assertEquals(2, run(none, "restore"));
        assertTrue(stderr().contains("restore needs --table"), stderr());
        assertEquals(2, run(none, "erase", "--everything"));
        assertTrue(stderr().contains("unknown command erase"), stderr());
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
