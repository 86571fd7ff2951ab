package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What the daily function started: per table its native backup and its export, or why not. */
@Serdeable
public record StartReport(String runId, List<TableStart> tables) {

    @Serdeable
    public record TableStart(String table, String nativeBackupArn, String nativeBackupError, String exportArn, String error) {
    }

    static StartReport of(RunState state) {
        return new StartReport(state.runId(), state.tables().stream()
                .map(t -> new TableStart(t.table(), t.nativeBackupArn(), t.nativeBackupError(), t.exportArn(), t.error()))
                .toList());
    }
}
