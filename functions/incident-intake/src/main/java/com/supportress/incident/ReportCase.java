package com.supportress.incident;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

/**
 * A report as the response workflow reads it from the reports table: its status and counts, and the reporter's
 * details while they are kept. After minimisation the reporter's contact details and free text are gone, so every
 * one of them is optional here.
 */
public record ReportCase(
        String id,
        ReportStatus status,
        String category,
        String receivedAt,
        Optional<String> lastActivityAt,
        Optional<String> followUpTokenHash,
        Optional<String> reporterEmail,
        Optional<String> reporterName,
        Optional<String> summary,
        Optional<String> description,
        Optional<String> affectedAccount,
        Optional<String> affectedUrl,
        Optional<String> occurredAt,
        Optional<String> firstRepliedAt,
        Optional<String> resolvedAt,
        Optional<String> minimisedAt,
        long replies,
        long reporterMessages,
        long notes,
        long attachments) {

    /** The reporter's contact details and free text: what minimisation removes from the report item. */
    static final String[] PERSONAL_ATTRIBUTES = {
            "reporterEmail", "reporterName", "summary", "description", "affectedAccount", "affectedUrl", "occurredAt", "sourceIp"};

    static ReportCase fromItem(Map<String, AttributeValue> item) {
        return new ReportCase(
                item.get("id").s(),
                ReportStatus.fromWire(item.get("status").s()).orElseThrow(() -> new IllegalStateException("unknown status " + item.get("status").s())),
                item.get("category").s(),
                item.get("receivedAt").s(),
                text(item, "lastActivityAt"),
                text(item, "followUpTokenHash"),
                text(item, "reporterEmail"),
                text(item, "reporterName"),
                text(item, "summary"),
                text(item, "description"),
                text(item, "affectedAccount"),
                text(item, "affectedUrl"),
                text(item, "occurredAt"),
                text(item, "firstRepliedAt"),
                text(item, "resolvedAt"),
                text(item, "minimisedAt"),
                count(item, "replyCount"),
                count(item, "messageCount"),
                count(item, "noteCount"),
                count(item, "attachmentCount"));
    }

    public boolean minimised() {
        return minimisedAt.isPresent();
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
