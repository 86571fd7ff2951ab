package com.supportress.incident;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

/** What the activity table holds for a report, as records: read by the triage and follow-up views and the timers. */
final class ActivityEntries {

    private ActivityEntries() {
    }

    /** One change of the audit trail. */
    record AuditEvent(String type, String actor, String at, Optional<String> from, Optional<String> to, Optional<String> ref) {
        static AuditEvent fromItem(Map<String, AttributeValue> item) {
            return new AuditEvent(s(item, "type"), s(item, "actor"), s(item, "at"), opt(item, "from"), opt(item, "to"), opt(item, "ref"));
        }
    }

    /** Who wrote a thread message: the reporter, or the team in a reply the reporter is mailed. */
    enum Author { REPORTER, TEAM }

    /**
     * A message of the thread the reporter sees. {@code text} is gone once the report is minimised; a message whose
     * mail is still owed carries the Due index keys until it is sent.
     */
    record ThreadMessage(String reportId, String sk, Author author, String actor, String at, Optional<String> text,
                         Optional<String> redactedAt, boolean mailOwed, long mailAttempts) {
        static ThreadMessage fromItem(Map<String, AttributeValue> item) {
            AttributeValue attempts = item.get("mailAttempts");
            return new ThreadMessage(s(item, "reportId"), s(item, "sk"), Author.valueOf(s(item, "author")), s(item, "actor"),
                    s(item, "at"), opt(item, "text"), opt(item, "redactedAt"), item.containsKey("dueKind"),
                    attempts == null ? 0 : Long.parseLong(attempts.n()));
        }
    }

    /** A file the reporter attached; its status is the upload record's. The name is gone once minimised. */
    record Attachment(String sk, String uploadId, Optional<String> fileName, String contentType, long size, String at) {
        static Attachment fromItem(Map<String, AttributeValue> item) {
            return new Attachment(s(item, "sk"), s(item, "uploadId"), opt(item, "fileName"), s(item, "contentType"),
                    Long.parseLong(item.get("size").n()), s(item, "at"));
        }
    }

    /** An internal note of the team; never shown to the reporter. */
    record Note(String actor, String at, String text) {
        static Note fromItem(Map<String, AttributeValue> item) {
            return new Note(s(item, "actor"), s(item, "at"), s(item, "text"));
        }
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        return item.get(name).s();
    }

    private static Optional<String> opt(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }
}
