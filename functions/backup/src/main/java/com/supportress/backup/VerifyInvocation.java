package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Optional;

/**
 * The input of BackupVerifyFunction, as its two schedules set it (samples in events/backup/):
 * {@code {"action": "start"}} weekly, {@code {"action": "continue"}} every few minutes to take open proofs
 * further. Operators may add {@code region} and {@code backupId} to a start.
 */
@Serdeable
public record VerifyInvocation(String action, String region, String backupId) {

    boolean continues() {
        return "continue".equals(action);
    }

    void check() {
        if (action != null && !action.equals("start") && !action.equals("continue")) {
            throw new RestoreRefusedException("action must be start or continue, not " + action);
        }
    }

    Optional<String> regionOption() {
        return Optional.ofNullable(region).filter(r -> !r.isBlank());
    }

    Optional<String> backupOption() {
        return Optional.ofNullable(backupId).filter(b -> !b.isBlank());
    }
}
