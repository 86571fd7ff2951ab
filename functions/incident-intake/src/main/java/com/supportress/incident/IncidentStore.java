package com.supportress.incident;

import com.supportress.shared.aws.Transactions;
import com.supportress.shared.config.Deadline;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports in the reports table, and Idempotency-Key records in the control table. A report and its
 * idempotency record are written in one transaction: both or neither, and only the first request
 * with a key wins, with no read-then-write race.
 */
@Singleton
public class IncidentStore {

    static final String PENDING_INDEX = "PendingNotifications";
    private static final String PENDING = "pending";
    static final String NOTIFICATION_FAILED = "notification_failed";

    /** The stored first response to an Idempotency-Key; records written before follow-up tokens have no sealed token. */
    public record IdempotentResponse(String fingerprint, int status, String body, Optional<String> sealedToken) {
    }

    private final DynamoDbClient dynamoDb;
    private final IncidentIntakeConfig config;

    public IncidentStore(DynamoDbClient dynamoDb, IncidentIntakeConfig config) {
        this.dynamoDb = dynamoDb;
        this.config = config;
    }

    /** How an attempt to store a new report ended. */
    public sealed interface SaveResult {
        record Saved() implements SaveResult {
        }

        /** Another request stored first under the same Idempotency-Key; this is its response. */
        record KeyTaken(IdempotentResponse earlier) implements SaveResult {
        }

        record SourceLimited() implements SaveResult {
        }
    }

    private static final int RATE_SLOT = 0;
    private static final int IDEMPOTENCY = 2;
    // Conflicting duplicates settle in milliseconds: 5 attempts wait at most about 1.2 s between them.
    private static final int MAX_ATTEMPTS = 5;
    // Past this, a slow table gets no further attempt (the answer must come in time).
    private static final Duration CONFLICT_RETRY_WINDOW = Duration.ofSeconds(3);

    /**
     * Stores a new report, marked as awaiting notification, in one transaction with the source's rate
     * slot, when a key is given the idempotency record, and the start of its handling: the first event of its audit
     * trail and its first-response timer. All of them or none.
     */
    public SaveResult saveNew(IncidentReport report, String followUpTokenHash, TransactWriteItem rateSlot,
                              Optional<IdempotencyRecord> idempotency) {
        Map<String, AttributeValue> reportItem = toItem(report);
        reportItem.put("followUpTokenHash", AttributeValue.fromS(followUpTokenHash));
        reportItem.put("lastActivityAt", AttributeValue.fromS(Activity.sortable(report.receivedAt())));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(rateSlot);
        writes.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(config.reportsTable())
                .item(reportItem)
                .conditionExpression("attribute_not_exists(id)")
                .build()).build());
        idempotency.ifPresent(record -> writes.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(config.controlTable())
                .item(record.toItem())
                .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
                .expressionAttributeValues(Map.of(":now", number(report.receivedAt().getEpochSecond())))
                .build()).build()));
        writes.add(Activity.putEvent(config.activityTable(), report.id(),
                new Activity.Event("received", Activity.REPORTER, report.receivedAt(), Optional.empty(),
                        Optional.of(ReportStatus.RECEIVED.wireName()), Optional.empty())));
        writes.add(Activity.startTimer(config.activityTable(), report.id(), Activity.FIRST_RESPONSE_TIMER,
                Activity.DUE_FIRST_RESPONSE, report.receivedAt()));
        Deadline retryWindow = Deadline.after(CONFLICT_RETRY_WINDOW);
        while (true) {
            try {
                // A parallel duplicate touches the same items: DynamoDB's conflicts with it are retried until it settles.
                Transactions.write(dynamoDb, writes, MAX_ATTEMPTS);
                return new SaveResult.Saved();
            } catch (TransactionCanceledException e) {
                if (idempotency.isPresent() && Transactions.conditionFailed(e, IDEMPOTENCY)) {
                    Optional<IdempotentResponse> earlier = findIdempotentResponse(idempotency.get().key(), report.receivedAt());
                    if (earlier.isPresent()) {
                        return new SaveResult.KeyTaken(earlier.get());
                    }
                    if (!retryWindow.remaining().isZero()) {
                        continue; // the key's record was removed between the write and the read: it is free again
                    }
                } else if (Transactions.conditionFailed(e, RATE_SLOT)) {
                    return new SaveResult.SourceLimited();
                }
                throw e;
            }
        }
    }

    public Optional<IdempotentResponse> findIdempotentResponse(String key, Instant now) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.controlTable())
                .key(Map.of("pk", AttributeValue.fromS(IdempotencyRecord.partitionKey(key))))
                .consistentRead(true)).item();
        // Expired records may linger until DynamoDB's TTL sweep, which takes up to days: treat them as gone.
        if (item == null || item.isEmpty() || Long.parseLong(item.get("expiresAt").n()) < now.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotentResponse(item.get("fingerprint").s(), Integer.parseInt(item.get("status").n()), item.get("body").s(),
                Optional.ofNullable(item.get("sealedToken")).map(AttributeValue::s)));
    }

    /** A stored report with which of its mails have gone out, read in one consistent GetItem. */
    public Optional<StoredReport> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.reportsTable())
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredReport(fromItem(item), new NotificationState(item.containsKey("teamNotifiedAt"),
                item.containsKey("reporterAcknowledgedAt")), Integer.parseInt(item.getOrDefault("notificationAttempts", number(0)).n())));
    }

    public void markTeamNotified(String id, Instant at) {
        setTimestamp(id, "teamNotifiedAt", at);
    }

    public void markReporterAcknowledged(String id, Instant at) {
        setTimestamp(id, "reporterAcknowledgedAt", at);
    }

    /**
     * Counts one more mail attempt for a report still owed mail, before the attempt is made, so an attempt cut short
     * (a timeout, the function's end) still counts. False when the report is no longer pending.
     */
    public boolean recordAttempt(String id) {
        return transition(id, "ADD notificationAttempts :one", Map.of(":one", number(1)));
    }

    /**
     * Gives up on a report's mail: notification_failed, out of the pending index. True only for the call that made
     * the change, so whatever reports the failure does so once per report, however many runs overlap.
     */
    public boolean markNotificationFailed(String id, Instant at) {
        return transition(id, "SET notificationStatus = :failed, notificationFailedAt = :at REMOVE notificationPending",
                Map.of(":failed", AttributeValue.fromS(NOTIFICATION_FAILED), ":at", AttributeValue.fromS(at.toString())));
    }

    private boolean transition(String id, String update, Map<String, AttributeValue> values) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.reportsTable())
                    .key(Map.of("id", AttributeValue.fromS(id)))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(notificationPending)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException noLongerPending) {
            return false;
        }
    }

    /** Both mails are out: the report leaves the pending index. */
    public void markNotificationsSent(String id) {
        dynamoDb.updateItem(r -> r.tableName(config.reportsTable())
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET notificationStatus = :sent REMOVE notificationPending")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":sent", AttributeValue.fromS("sent"))));
    }

    /** Whether each mail of a report has gone out. */
    public record NotificationState(boolean teamNotified, boolean reporterAcknowledged) {
        /** A report just stored: both mails owed, known without reading it back. */
        public static final NotificationState NOTHING_SENT = new NotificationState(false, false);
    }

    /** A stored report, which of its mails went out, and how many times mailing was attempted. */
    public record StoredReport(IncidentReport report, NotificationState notifications, int attempts) {
    }

    /** Ids of reports still awaiting a mail that were received before the cutoff, oldest first. */
    public List<String> pendingReceivedBefore(Instant cutoff) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var request = QueryRequest.builder()
                    .tableName(config.reportsTable())
                    .indexName(PENDING_INDEX)
                    .keyConditionExpression("notificationPending = :pending AND receivedAt < :cutoff")
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING), ":cutoff", AttributeValue.fromS(cutoff.toString())))
                    .exclusiveStartKey(start)
                    .build();
            var page = dynamoDb.query(request);
            page.items().forEach(item -> ids.add(item.get("id").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }

    private void setTimestamp(String id, String attribute, Instant at) {
        dynamoDb.updateItem(r -> r.tableName(config.reportsTable())
                .key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET #attribute = :at")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeNames(Map.of("#attribute", attribute))
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()))));
    }

    private static Map<String, AttributeValue> toItem(IncidentReport report) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(report.id()));
        item.put("status", AttributeValue.fromS(ReportStatus.RECEIVED.wireName()));
        item.put("receivedAt", AttributeValue.fromS(report.receivedAt().toString()));
        item.put("reporterEmail", AttributeValue.fromS(report.reporterEmail()));
        report.reporterName().ifPresent(v -> item.put("reporterName", AttributeValue.fromS(v)));
        item.put("category", AttributeValue.fromS(report.category()));
        item.put("summary", AttributeValue.fromS(report.summary()));
        item.put("description", AttributeValue.fromS(report.description()));
        report.affectedAccount().ifPresent(v -> item.put("affectedAccount", AttributeValue.fromS(v)));
        report.affectedUrl().ifPresent(v -> item.put("affectedUrl", AttributeValue.fromS(v)));
        report.occurredAt().ifPresent(v -> item.put("occurredAt", AttributeValue.fromS(v)));
        item.put("sourceIp", AttributeValue.fromS(report.sourceIp()));
        item.put("notificationStatus", AttributeValue.fromS(PENDING));
        // The request that stores it makes the first attempt.
        item.put("notificationAttempts", number(1));
        // Present only while a mail is owed: the sparse index the retry schedule reads.
        item.put("notificationPending", AttributeValue.fromS(PENDING));
        return item;
    }

    private static IncidentReport fromItem(Map<String, AttributeValue> item) {
        return new IncidentReport(
                item.get("id").s(),
                Instant.parse(item.get("receivedAt").s()),
                item.get("reporterEmail").s(),
                optional(item, "reporterName"),
                item.get("category").s(),
                item.get("summary").s(),
                item.get("description").s(),
                optional(item, "affectedAccount"),
                optional(item, "affectedUrl"),
                optional(item, "occurredAt"),
                item.get("sourceIp").s());
    }

    private static Optional<String> optional(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
