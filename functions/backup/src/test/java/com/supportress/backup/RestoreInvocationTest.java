package com.supportress.backup;

import com.supportress.emulator.SampleEvents;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the operator's restore events in events/backup/, read by the Lambda runtime's own deserialiser. */
class RestoreInvocationTest {

    @Test
    void tableAloneMeansLatestBackupIntoANewTableFromThisRegion() {
        RestoreService.RestoreRequest request = SampleEvents.load("backup/restore-latest.json", RestoreInvocation.class).toRequest();

        assertEquals("supportress-local-IncidentReportsTable", request.table());
        assertEquals(Optional.empty(), request.backupId());
        assertEquals(Optional.empty(), request.targetTable());
        assertEquals(Optional.empty(), request.region());
        assertFalse(request.force());
    }

    @Test
    void everyFieldIsRead() {
        RestoreService.RestoreRequest request = SampleEvents.load("backup/restore-run-into-existing.json", RestoreInvocation.class).toRequest();

        assertEquals(Optional.of("20261124T031500Z-a1b2c3"), request.backupId());
        assertEquals(Optional.of("supportress-dev-IncidentReportsTable-1A2B3C4D5E6F-restored-manual"), request.targetTable());
        assertEquals(Optional.of("us-west-2"), request.region());
        assertTrue(request.force());
    }

    @Test
    void anEventWithoutTableIsRefused() {
        RestoreRefusedException refused = assertThrows(RestoreRefusedException.class,
                () -> new RestoreInvocation(null, "20261124T031500Z-a1b2c3", null, null, null).toRequest());
        assertTrue(refused.getMessage().contains("table"), refused.getMessage());
    }
}
