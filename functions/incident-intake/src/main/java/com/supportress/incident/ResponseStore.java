package com.supportress.incident;

import com.supportress.shared.aws.Transactions;
import com.supportress.upload.store.UploadRecord;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The response workflow's reads and writes: the report item (status, counts, the reporter's details) in the reports
 * table and its activity items ({@link Activity}). Every change is one transaction that also appends its audit event,
 * and every status move is conditioned on the status it leaves, so of two conflicting moves exactly one commits.
 */
@Singleton
public class ResponseStore {

    // Two people acting on one report at once: DynamoDB's conflicts between them are retried, then the loser's
    // condition sees the winner's result.
    private static final int CONFLICT_ATTEMPTS = 4;

    static final String BY_STATUS_INDEX = "ByStatus";

    private final DynamoDbClient dynamoDb;
    private final IncidentIntakeConfig config;

    public ResponseStore(DynamoDbClient dynamoDb, IncidentIntakeConfig config) {
        this.dynamoDb = dynamoDb;
        this.config = config;
    }

    /** How a write conditioned on the report's state ended. */
    public sealed interface WriteResult {
        /** Committed; {@code ref} is the sort key of the message or note it added, if any. */
        record Written(String ref) implements WriteResult {
        }

        /** The report is not in the state the write required (moved on, resolved, minimised, or at a limit). */
        record Refused(Optional<ReportCase> current) implements WriteResult {
        }

        /** The source's hourly slots are used up: nothing was written. */
        record RateLimited() implements WriteResult {
        }
    }

    public Optional<ReportCase> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.reportsTable())
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ReportCase.fromItem(item));
    }

    /** One page of a status list, from the ByStatus index, and where the next page starts. */
    public record Page(List<Map<String, AttributeValue>> items, Optional<Map<String, AttributeValue>> next) {
    }

    /**
     * Reports of one status received in [since, until), newest or oldest first. A category narrows the page with a
     * filter on the index entries (see README: the index holds a status's reports only, so its cost stays with the
     * time window asked for); a page may then hold fewer than {@code limit} entries and still have a next one.
     */
    public Page list(ReportStatus status, Optional<String> category, Instant since, Instant until, boolean newestFirst,
                     int limit, Optional<Map<String, AttributeValue>> start) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", AttributeValue.fromS(status.wireName()),
                ":since", AttributeValue.fromS(since.toString()),
                ":until", AttributeValue.fromS(until.toString())));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(config.reportsTable())
                .indexName(BY_STATUS_INDEX)
                .keyConditionExpression("#status = :status AND receivedAt BETWEEN :since AND :until")
                .scanIndexForward(!newestFirst)
                .limit(limit)
                .exclusiveStartKey(start.orElse(null));
        category.ifPresent(c -> {
            values.put(":category", AttributeValue.fromS(c));
            query.filterExpression("category = :category");
        });
        QueryResponse page = dynamoDb.query(query.expressionAttributeNames(names).expressionAttributeValues(values).build());
        return new Page(page.items(), page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? Optional.of(page.lastEvaluatedKey()) : Optional.empty());
    }

    /** Every activity item of a report under one prefix, oldest first (a report's items are few: human-paced, capped). */
    <T> List<T> activity(String reportId, String prefix, Function<Map<String, AttributeValue>, T> read) {
        List<T> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamoDb.query(QueryRequest.builder()
                    .tableName(config.activityTable())
                    .keyConditionExpression("reportId = :id AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(reportId), ":prefix", AttributeValue.fromS(prefix)))
                    .consistentRead(true)
                    .exclusiveStartKey(start)
                    .build());
            page.items().forEach(item -> entries.add(read.apply(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    /**
     * Moves a report from one status to another, only if it still has the status the move leaves: of two people
     * moving it at once, exactly one commits. Resolving starts the retention timer of the reporter's data.
     */
    public WriteResult transition(String id, ReportStatus from, ReportStatus to, String actor, Instant at) {
        String when = Activity.sortable(at);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":from", AttributeValue.fromS(from.wireName()),
                ":to", AttributeValue.fromS(to.wireName()),
                ":at", AttributeValue.fromS(when)));
        String set = "SET #status = :to, lastActivityAt = :at";
        if (to == ReportStatus.RESOLVED) {
            set += ", resolvedAt = :at";
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(updateReport(id, set, "#status = :from", Map.of("#status", "status"), values));
        writes.add(Activity.putEvent(config.activityTable(), id, Activity.Event.of("status-changed", actor, at).withMove(from.wireName(), to.wireName())));
        if (to == ReportStatus.RESOLVED) {
            writes.add(Activity.startTimer(config.activityTable(), id, Activity.RETENTION_TIMER, Activity.DUE_RETENTION, at));
        }
        return write(id, writes);
    }

    /**
     * A reply to the reporter: on the thread they see, owed as a mail until it is sent, and their first response if
     * it is the first (the first-response timer stops). Not on a minimised report: there is no address left.
     */
    public WriteResult reply(String id, String actor, String text, Instant at) {
        String when = Activity.sortable(at);
        String sk = Activity.newKey(Activity.THREAD, at);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(updateReport(id, "SET lastActivityAt = :at, firstRepliedAt = if_not_exists(firstRepliedAt, :at) ADD replyCount :one",
                "attribute_exists(id) AND attribute_not_exists(minimisedAt)", Map.of(),
                Map.of(":at", AttributeValue.fromS(when), ":one", AttributeValue.fromN("1"))));
        writes.add(Activity.putNew(config.activityTable(), threadItem(id, sk, ActivityEntries.Author.TEAM, actor, text, at)));
        writes.add(Activity.putEvent(config.activityTable(), id, Activity.Event.of("replied", actor, at).withRef(sk)));
        // Answered: the first-response timer leaves the Due index (a report older than the workflow gets a stub).
        writes.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(config.activityTable())
                .key(Activity.key(id, Activity.FIRST_RESPONSE_TIMER))
                .updateExpression("SET answeredAt = if_not_exists(answeredAt, :at) REMOVE dueKind, dueSince")
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(when)))
                .build()).build());
        return write(id, writes, sk);
    }

    /** A message from the reporter, owed to the team as a mail; refused once resolved or at the per-report cap. */
    public WriteResult reporterMessage(String id, String text, int cap, TransactWriteItem rateSlot, Instant at) {
        String when = Activity.sortable(at);
        String sk = Activity.newKey(Activity.THREAD, at);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(updateReport(id, "SET lastActivityAt = :at ADD messageCount :one",
                "attribute_exists(id) AND #status <> :resolved AND (attribute_not_exists(messageCount) OR messageCount < :cap)",
                Map.of("#status", "status"),
                Map.of(":at", AttributeValue.fromS(when), ":one", AttributeValue.fromN("1"),
                        ":resolved", AttributeValue.fromS(ReportStatus.RESOLVED.wireName()), ":cap", AttributeValue.fromN(Integer.toString(cap)))));
        writes.add(Activity.putNew(config.activityTable(), threadItem(id, sk, ActivityEntries.Author.REPORTER, Activity.REPORTER, text, at)));
        writes.add(Activity.putEvent(config.activityTable(), id, Activity.Event.of("reporter-message", Activity.REPORTER, at).withRef(sk)));
        writes.add(rateSlot);
        return writeWithRateSlot(id, writes, sk);
    }

    /**
     * A file the reporter attaches: the upload record (in the uploads table, outside any tenant's quota), the
     * attachment on the report, and its event, with the report's count capped; refused once resolved or minimised.
     */
    public WriteResult addAttachment(String id, UploadRecord upload, TransactWriteItem uploadRecord, int cap,
                                     TransactWriteItem rateSlot, Instant at) {
        String when = Activity.sortable(at);
        Map<String, AttributeValue> attachment = new HashMap<>(Activity.key(id, Activity.ATTACHMENT + upload.uploadId()));
        attachment.put("uploadId", AttributeValue.fromS(upload.uploadId()));
        attachment.put("fileName", AttributeValue.fromS(upload.fileName()));
        attachment.put("contentType", AttributeValue.fromS(upload.contentType()));
        attachment.put("size", AttributeValue.fromN(Long.toString(upload.size())));
        attachment.put("at", AttributeValue.fromS(when));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(updateReport(id, "SET lastActivityAt = :at ADD attachmentCount :one",
                "attribute_exists(id) AND attribute_not_exists(minimisedAt) AND #status <> :resolved"
                        + " AND (attribute_not_exists(attachmentCount) OR attachmentCount < :cap)",
                Map.of("#status", "status"),
                Map.of(":at", AttributeValue.fromS(when), ":one", AttributeValue.fromN("1"),
                        ":resolved", AttributeValue.fromS(ReportStatus.RESOLVED.wireName()), ":cap", AttributeValue.fromN(Integer.toString(cap)))));
        writes.add(Activity.putNew(config.activityTable(), attachment));
        writes.add(Activity.putEvent(config.activityTable(), id, Activity.Event.of("attachment-added", Activity.REPORTER, at).withRef(upload.uploadId())));
        writes.add(uploadRecord);
        writes.add(rateSlot);
        return writeWithRateSlot(id, writes, upload.uploadId());
    }

    /** The file name of an attachment goes with the reporter's other text when the report is minimised. */
    public void redactAttachment(String reportId, String sk, Instant at) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.activityTable()).key(Activity.key(reportId, sk))
                    .updateExpression("SET deletedAt = :at REMOVE fileName")
                    .conditionExpression("attribute_exists(fileName)")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(Activity.sortable(at)))));
        } catch (ConditionalCheckFailedException alreadyRedacted) {
            // an earlier, interrupted run did it
        }
    }

    /** An internal note: in the audit trail and the team's view only. */
    public WriteResult note(String id, String actor, String text, Instant at) {
        String when = Activity.sortable(at);
        String sk = Activity.newKey(Activity.NOTE, at);
        Map<String, AttributeValue> note = new HashMap<>(Activity.key(id, sk));
        note.put("actor", AttributeValue.fromS(actor));
        note.put("at", AttributeValue.fromS(when));
        note.put("text", AttributeValue.fromS(text));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(updateReport(id, "SET lastActivityAt = :at ADD noteCount :one", "attribute_exists(id)", Map.of(),
                Map.of(":at", AttributeValue.fromS(when), ":one", AttributeValue.fromN("1"))));
        writes.add(Activity.putNew(config.activityTable(), note));
        writes.add(Activity.putEvent(config.activityTable(), id, Activity.Event.of("noted", actor, at).withRef(sk)));
        return write(id, writes, sk);
    }

    /** The thread message under a sort key, if any. */
    public Optional<ActivityEntries.ThreadMessage> threadMessage(String reportId, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.activityTable())
                .key(Activity.key(reportId, sk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ActivityEntries.ThreadMessage.fromItem(item));
    }

    /** The message's mail went out: it leaves the Due index. */
    public void markMailed(String reportId, String sk, Instant at) {
        settleMail(reportId, sk, "mailedAt", at);
    }

    /** Gave up on the message's mail after its attempts: it leaves the Due index, and the trail says so. */
    public void markMailFailed(String reportId, String sk, Instant at) {
        settleMail(reportId, sk, "mailFailedAt", at);
        write(reportId, List.of(Activity.putEvent(config.activityTable(), reportId, Activity.Event.of("mail-failed", Activity.SYSTEM, at).withRef(sk))));
    }

    public void countMailAttempt(String reportId, String sk) {
        dynamoDb.updateItem(r -> r.tableName(config.activityTable()).key(Activity.key(reportId, sk))
                .updateExpression("ADD mailAttempts :one").conditionExpression("attribute_exists(sk)")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private void settleMail(String reportId, String sk, String attribute, Instant at) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.activityTable()).key(Activity.key(reportId, sk))
                    .updateExpression("SET #settled = :at REMOVE dueKind, dueSince")
                    .conditionExpression("attribute_exists(dueKind)")
                    .expressionAttributeNames(Map.of("#settled", attribute))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(Activity.sortable(at)))));
        } catch (ConditionalCheckFailedException alreadySettled) {
            // Another run (or the request itself) settled it first: nothing left to do.
        }
    }

    /** A timer, message or other activity item that is due: its report and sort key. */
    public record Due(String reportId, String sk, String dueSince) {
    }

    /** Up to {@code limit} items of one kind due since before the cutoff, oldest first, from the sparse Due index. */
    public List<Due> due(String dueKind, Instant before, int limit) {
        QueryResponse page = dynamoDb.query(QueryRequest.builder()
                .tableName(config.activityTable())
                .indexName(Activity.DUE_INDEX)
                .keyConditionExpression("dueKind = :kind AND dueSince < :before")
                .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS(dueKind), ":before", AttributeValue.fromS(Activity.sortable(before))))
                .limit(limit)
                .build());
        return page.items().stream().map(item -> new Due(item.get("reportId").s(), item.get("sk").s(), item.get("dueSince").s())).toList();
    }

    /**
     * The first-response target passed with no reply: the timer moves from waiting to alarming, with its audit event,
     * exactly once (the condition is the marker). False when a reply or another run came first.
     */
    public boolean markOverdue(String reportId, Instant at) {
        TransactWriteItem timer = TransactWriteItem.builder().update(Update.builder()
                .tableName(config.activityTable())
                .key(Activity.key(reportId, Activity.FIRST_RESPONSE_TIMER))
                .updateExpression("SET dueKind = :alarm, overdueAt = :at")
                .conditionExpression("dueKind = :waiting")
                .expressionAttributeValues(Map.of(":alarm", AttributeValue.fromS(Activity.DUE_OVERDUE_ALARM),
                        ":waiting", AttributeValue.fromS(Activity.DUE_FIRST_RESPONSE), ":at", AttributeValue.fromS(Activity.sortable(at))))
                .build()).build();
        return write(reportId, List.of(timer,
                Activity.putEvent(config.activityTable(), reportId, Activity.Event.of("first-response-overdue", Activity.SYSTEM, at))))
                instanceof WriteResult.Written;
    }

    /** The ops topic has the overdue alarm: the timer leaves the Due index for good. */
    public void markAlarmed(String reportId, Instant at) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.activityTable()).key(Activity.key(reportId, Activity.FIRST_RESPONSE_TIMER))
                    .updateExpression("SET alarmedAt = :at REMOVE dueKind, dueSince")
                    .conditionExpression("dueKind = :alarm")
                    .expressionAttributeValues(Map.of(":alarm", AttributeValue.fromS(Activity.DUE_OVERDUE_ALARM),
                            ":at", AttributeValue.fromS(Activity.sortable(at)))));
        } catch (ConditionalCheckFailedException answeredMeanwhile) {
            // A reply took the timer off the index while the alarm went out: nothing left to mark.
        }
    }

    /** Removes the text of one thread message of a report being minimised; a message's owed mail is dropped with it. */
    public void redact(String reportId, String sk, Instant at) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.activityTable()).key(Activity.key(reportId, sk))
                    .updateExpression("SET redactedAt = :at REMOVE #text, dueKind, dueSince")
                    .conditionExpression("attribute_exists(#text)")
                    .expressionAttributeNames(Map.of("#text", "text"))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(Activity.sortable(at)))));
        } catch (ConditionalCheckFailedException alreadyRedacted) {
            // an earlier, interrupted run did it
        }
    }

    /**
     * Removes the reporter's contact details and free text from the report item, records it in the trail and stops
     * the retention timer, in one transaction; counts, status, category, times and the trail stay. Once only: a
     * report already minimised just loses its timer.
     */
    public boolean minimise(String reportId, Instant at) {
        String when = Activity.sortable(at);
        TransactWriteItem report = updateReport(reportId,
                "SET minimisedAt = :at REMOVE " + String.join(", ", ReportCase.PERSONAL_ATTRIBUTES) + ", notificationPending",
                "attribute_exists(id) AND attribute_not_exists(minimisedAt)", Map.of(), Map.of(":at", AttributeValue.fromS(when)));
        boolean minimised = write(reportId, List.of(report, stopRetentionTimer(reportId, when),
                Activity.putEvent(config.activityTable(), reportId, Activity.Event.of("minimised", Activity.SYSTEM, at)))) instanceof WriteResult.Written;
        if (!minimised) {
            write(reportId, List.of(stopRetentionTimer(reportId, when)));
        }
        return minimised;
    }

    private TransactWriteItem stopRetentionTimer(String reportId, String when) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(config.activityTable())
                .key(Activity.key(reportId, Activity.RETENTION_TIMER))
                .updateExpression("SET doneAt = :at REMOVE dueKind, dueSince")
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(when)))
                .build()).build();
    }

    private Map<String, AttributeValue> threadItem(String id, String sk, ActivityEntries.Author author, String actor, String text, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Activity.key(id, sk));
        item.put("author", AttributeValue.fromS(author.name()));
        item.put("actor", AttributeValue.fromS(actor));
        item.put("at", AttributeValue.fromS(Activity.sortable(at)));
        item.put("text", AttributeValue.fromS(text));
        // Owed as a mail (to the reporter for a reply, to the team for a reporter's message) until sent.
        item.put("dueKind", AttributeValue.fromS(Activity.DUE_MAIL));
        item.put("dueSince", AttributeValue.fromS(Activity.sortable(at)));
        return item;
    }

    private TransactWriteItem updateReport(String id, String update, String condition, Map<String, String> names,
                                           Map<String, AttributeValue> values) {
        Update.Builder builder = Update.builder()
                .tableName(config.reportsTable())
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeValues(values.isEmpty() ? null : values);
        if (!names.isEmpty()) {
            builder.expressionAttributeNames(names);
        }
        return TransactWriteItem.builder().update(builder.build()).build();
    }

    private WriteResult write(String id, List<TransactWriteItem> writes) {
        return write(id, writes, 0, "", false);
    }

    private WriteResult write(String id, List<TransactWriteItem> writes, String ref) {
        return write(id, writes, 0, ref, false);
    }

    /** A reporter's write, which carries the source's rate slot last: its condition fails when the slots are used up. */
    private WriteResult writeWithRateSlot(String id, List<TransactWriteItem> writes, String ref) {
        return write(id, writes, 0, ref, true);
    }

    /**
     * Runs the transaction; when the item at {@code guarded} fails its condition the write is refused with the report
     * as it is now. DynamoDB's own conflicts (another transaction on the same item at that moment) are retried a few
     * times: the loser then sees the winner's result in its condition.
     */
    private WriteResult write(String id, List<TransactWriteItem> writes, int guarded, String ref, boolean rateSlotLast) {
        try {
            Transactions.write(dynamoDb, writes, CONFLICT_ATTEMPTS);
            return new WriteResult.Written(ref);
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, guarded)) {
                return new WriteResult.Refused(find(id));
            }
            if (rateSlotLast && Transactions.conditionFailed(e, writes.size() - 1)) {
                return new WriteResult.RateLimited();
            }
            throw e;
        }
    }
}
