package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Optional;

/**
 * The operator's JSON event for BackupRestoreFunction, as the Lambda runtime deserialises it: plain
 * nullable fields, since the runtime's own JSON mapper knows no {@code Optional}. Samples: events/backup/.
 */
@Serdeable
public record RestoreInvocation(String table, String backupId, String targetTable, Boolean force, String region) {

    RestoreService.RestoreRequest toRequest() {
        if (table == null || table.isBlank()) {
            throw new RestoreRefusedException("the request must name the table to restore: {\"table\": \"...\"}");
        }
        return new RestoreService.RestoreRequest(table, Optional.ofNullable(backupId), Optional.ofNullable(targetTable),
                Boolean.TRUE.equals(force), Optional.ofNullable(region));
    }
}
