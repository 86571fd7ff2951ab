package com.supportress.incident;

import java.time.Instant;
import java.util.Optional;

/** A validated report as it is stored and mailed. The id carries 160 random bits. */
public record IncidentReport(
        String id,
        Instant receivedAt,
        String reporterEmail,
        Optional<String> reporterName,
        String category,
        String summary,
        String description,
        Optional<String> affectedAccount,
        Optional<String> affectedUrl,
        Optional<String> occurredAt,
        String sourceIp) {
}
