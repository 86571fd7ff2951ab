package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What the backup schedules deliver, as the Lambda runtime reads it: EventBridge Scheduler's event. Only
 * its id is used (to correlate logs); the rest, {@code "detail": "{}"} (a string) included, is ignored,
 * which {@code ScheduledEvent} cannot do. Operators may invoke with {@code {}}.
 */
@Serdeable
public record ScheduleTick(String id) {

    String correlationId() {
        return id == null || id.isBlank() ? "manual" : id;
    }
}
