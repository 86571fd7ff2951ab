package com.supportress.incident;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The JSON bodies of the follow-up and triage routes. */
final class ResponseViews {

    private ResponseViews() {
    }

    /** One message of the thread, as the reporter and the team see it; {@code text} is null once removed. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String from, String at, String text, String by) {

        /** For the reporter: who wrote it (reporter or security-team), never which team member. */
        static Message forReporter(ActivityEntries.ThreadMessage message) {
            return new Message(from(message), message.at(), message.text().orElse(null), null);
        }

        static Message forTeam(ActivityEntries.ThreadMessage message) {
            return new Message(from(message), message.at(), message.text().orElse(null), message.actor());
        }

        private static String from(ActivityEntries.ThreadMessage message) {
            return message.author() == ActivityEntries.Author.REPORTER ? "reporter" : "security-team";
        }
    }

    /** GET /incidents/{id} with the follow-up token: where the report stands and the thread, no internal notes. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FollowUp(String id, String status, String category, String receivedAt, String lastActivityAt,
                    boolean detailsRemoved, List<Message> messages, List<Attachment> attachments) {
    }

    /** An attached file and where its checks got (pending, stored, replicated, quarantined with the reason). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Attachment(String id, String fileName, String contentType, long size, String at, String status, String reason,
                      String downloadUrl) {
    }

    /** POST /incidents/{id}/attachments: where to PUT the bytes, with the headers the URL is signed over. */
    @Serdeable
    record AttachmentUpload(String attachmentId, String method, String url, java.util.Map<String, String> headers, String expiresAt) {
    }

    /** What a write answers: the report's id and status afterwards, and the message or note it added. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Written(String id, String status, String ref, String at) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Counts(long replies, long reporterMessages, long notes, long attachments) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reporter(String email, String name) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String type, String by, String at, String from, String to, String ref) {
        static Event of(ActivityEntries.AuditEvent event) {
            return new Event(event.type(), event.actor(), event.at(), event.from().orElse(null), event.to().orElse(null), event.ref().orElse(null));
        }
    }

    @Serdeable
    record Note(String by, String at, String text) {
        static Note of(ActivityEntries.Note note) {
            return new Note(note.actor(), note.at(), note.text());
        }
    }

    /** GET /triage/reports/{id}: everything the team may see, with the moves open from here. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Case(String id, String status, List<String> next, String category, String receivedAt, String lastActivityAt,
                String firstRepliedAt, String resolvedAt, String minimisedAt, Reporter reporter, String summary,
                String description, String affectedAccount, String affectedUrl, String occurredAt, Counts counts,
                List<Message> messages, List<Note> notes, List<Attachment> attachments, List<Event> events) {
    }

    /** One line of a status list. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summary(String id, String status, String category, String receivedAt, String summary, String lastActivityAt,
                   String firstRepliedAt) {
    }

    /** GET /triage/reports: a page, and the cursor of the next one (null on the last). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ReportList(List<Summary> reports, String next) {
    }
}
