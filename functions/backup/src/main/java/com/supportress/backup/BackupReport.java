package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

/** What a good backup run did: the function's result, also logged as one line. */
@Serdeable
public record BackupReport(
        String runId,
        int tables,
        long items,
        long bytes,
        int files,
        String replicaRegion,
        int nativeBackupsCreated,
        int runsPruned,
        int replicaRunsPruned,
        int nativeBackupsPruned) {
}
