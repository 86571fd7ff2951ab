package com.supportress.billing;

import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two billing tables. Events: one record per provider event id (the conditional write that decides
 * "first time or duplicate"), plus one record per dunning mail. State: per account, an {@code ACCOUNT} item
 * and one {@code SUB#<id>} item per subscription, each group of fields guarded by its own watermark.
 */
@Singleton
public class BillingStore {

    static final String ACCOUNT_ITEM = "ACCOUNT";
    static final String SUBJECT_INDEX = "SubjectEvents";
    private static final String CURSOR_KEY = "reconciliation#stripe";
    private static final String CURSOR_ITEM = "CURSOR";

    /** How processing of an event stands: recorded but not yet fully applied, done, or ignored (unknown type). */
    public enum Status { RECEIVED, DONE, IGNORED }

    private final DynamoDbClient dynamoDb;
    private final BillingConfig config;

    public BillingStore(DynamoDbClient dynamoDb, BillingConfig config) {
        this.dynamoDb = dynamoDb;
        this.config = config;
    }

    static String subscriptionItem(String subscriptionId) {
        return "SUB#" + subscriptionId;
    }

    /**
     * Records the event unless its id is already there, with no read before the write: empty when this call
     * recorded it first, otherwise the status of the earlier record.
     */
    public Optional<Status> recordFirst(BillingEvent event, String source, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(event.key()));
        item.put("provider", AttributeValue.fromS(event.provider().id()));
        item.put("eventId", AttributeValue.fromS(event.eventId()));
        item.put("type", AttributeValue.fromS(event.type()));
        item.put("occurredAt", AttributeValue.fromS(event.occurredAt().toString()));
        item.put("receivedAt", AttributeValue.fromS(now.toString()));
        item.put("source", AttributeValue.fromS(source));
        item.put("status", AttributeValue.fromS(Status.RECEIVED.name()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(config.eventRetention()).getEpochSecond())));
        event.subject().ifPresent(subject -> {
            item.put("subject", AttributeValue.fromS(subject));
            item.put("occurredKey", AttributeValue.fromS(event.occurredAt().toEpochMilli() + "#" + event.eventId()));
        });
        try {
            dynamoDb.putItem(r -> r.tableName(config.eventsTable()).item(item).conditionExpression("attribute_not_exists(pk)"));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> earlier = dynamoDb.getItem(r -> r.tableName(config.eventsTable())
                    .key(Map.of("pk", AttributeValue.fromS(event.key()))).consistentRead(true).projectionExpression("#s")
                    .expressionAttributeNames(Map.of("#s", "status"))).item();
            return Optional.of(Status.valueOf(earlier.get("status").s()));
        }
    }

    public void markProcessed(BillingEvent event, Status status) {
        dynamoDb.updateItem(r -> r.tableName(config.eventsTable())
                .key(Map.of("pk", AttributeValue.fromS(event.key())))
                .updateExpression("SET #s = :status")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status.name()))));
    }

    /**
     * Writes one group of fields if the event is newer than what the group holds: the condition compares
     * watermarks inside DynamoDB, so two deliveries racing cannot let the older one win. Returns whether it wrote.
     */
    public boolean apply(StateChange change) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        int index = 0;
        for (var field : change.fields().entrySet()) {
            String name = "#f" + index;
            names.put(name, field.getKey());
            if (field.getValue() == null) {
                removes.add(name);
            } else {
                values.put(":v" + index, field.getValue());
                sets.add(name + " = :v" + index);
            }
            index++;
        }
        names.put("#wm", change.watermarkAttribute());
        values.put(":wm", AttributeValue.fromS(change.watermark().encoded()));
        sets.add("#wm = :wm");
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        try {
            dynamoDb.updateItem(r -> r.tableName(config.stateTable())
                    .key(Map.of("pk", AttributeValue.fromS(change.accountKey()), "sk", AttributeValue.fromS(change.itemKey())))
                    .updateExpression(update)
                    .conditionExpression("attribute_not_exists(#wm) OR #wm < :wm")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<String> billingEmail(String accountKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.stateTable())
                .key(Map.of("pk", AttributeValue.fromS(accountKey), "sk", AttributeValue.fromS(ACCOUNT_ITEM)))
                .consistentRead(true).projectionExpression("billingEmail")).item();
        return Optional.ofNullable(item).map(i -> i.get("billingEmail")).map(AttributeValue::s);
    }

    /**
     * Takes the right to send one dunning mail: the first caller, or a caller after an earlier one's lease ran out
     * without the mail being marked sent (that sender failed). A sent mail is never claimed again.
     */
    public boolean claimMail(String mailKey, Instant now, Instant leaseUntil) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.eventsTable())
                    .key(Map.of("pk", AttributeValue.fromS(mailKey)))
                    .updateExpression("SET mailStatus = :pending, leaseUntil = :lease, claimedAt = :now ADD #attempts :one")
                    .expressionAttributeNames(Map.of("#attempts", "attempts"))
                    .conditionExpression("attribute_not_exists(pk) OR (mailStatus = :pending AND leaseUntil < :nowEpoch)")
                    .expressionAttributeValues(Map.of(
                            ":pending", AttributeValue.fromS("pending"),
                            ":lease", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())),
                            ":now", AttributeValue.fromS(now.toString()),
                            ":nowEpoch", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":one", AttributeValue.fromN("1"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Whether the mail is finished for good (sent, or no contact to send it to), as opposed to claimed and pending. */
    public boolean mailSettled(String mailKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.eventsTable())
                .key(Map.of("pk", AttributeValue.fromS(mailKey))).consistentRead(true).projectionExpression("mailStatus")).item();
        return item != null && item.containsKey("mailStatus") && !item.get("mailStatus").s().equals("pending");
    }

    /** Ends a claimed mail for good: {@code sent}, or {@code no_contact} when the account has no billing contact. */
    public void finishMail(String mailKey, String outcome, Instant at) {
        dynamoDb.updateItem(r -> r.tableName(config.eventsTable())
                .key(Map.of("pk", AttributeValue.fromS(mailKey)))
                .updateExpression("SET mailStatus = :outcome, finishedAt = :at REMOVE leaseUntil")
                .expressionAttributeValues(Map.of(":outcome", AttributeValue.fromS(outcome), ":at", AttributeValue.fromS(at.toString()))));
    }

    /** Gives the mail back at once after a failed send, so the provider's retry can send it without waiting for the lease. */
    public void releaseMail(String mailKey) {
        dynamoDb.updateItem(r -> r.tableName(config.eventsTable())
                .key(Map.of("pk", AttributeValue.fromS(mailKey)))
                .updateExpression("SET leaseUntil = :zero")
                .conditionExpression("mailStatus = :pending")
                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":pending", AttributeValue.fromS("pending"))));
    }

    /** Every state item of an account: its {@code ACCOUNT} item first, then its subscriptions. */
    public List<Map<String, AttributeValue>> accountItems(String accountKey) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(r -> r.tableName(config.stateTable())
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(accountKey)))
                    .consistentRead(true)
                    .exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The newest events recorded about an account (or a charge), newest first. */
    public List<Map<String, AttributeValue>> recentEvents(String subject, int limit) {
        return dynamoDb.query(r -> r.tableName(config.eventsTable())
                .indexName(SUBJECT_INDEX)
                .keyConditionExpression("#subject = :subject")
                .expressionAttributeNames(Map.of("#subject", "subject"))
                .expressionAttributeValues(Map.of(":subject", AttributeValue.fromS(subject)))
                .scanIndexForward(false)
                .limit(limit)).items();
    }

    /** Epoch second up to which reconciliation has listed Stripe's events, if it ever ran. */
    public Optional<Long> reconciliationCursor() {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(config.stateTable())
                .key(Map.of("pk", AttributeValue.fromS(CURSOR_KEY), "sk", AttributeValue.fromS(CURSOR_ITEM))).consistentRead(true)).item();
        return Optional.ofNullable(item).map(i -> i.get("listedUntil")).map(value -> Long.parseLong(value.n()));
    }

    /** Moves the cursor forward only: two overlapping runs never move it back. */
    public void advanceReconciliationCursor(long listedUntil) {
        try {
            dynamoDb.updateItem(r -> r.tableName(config.stateTable())
                    .key(Map.of("pk", AttributeValue.fromS(CURSOR_KEY), "sk", AttributeValue.fromS(CURSOR_ITEM)))
                    .updateExpression("SET listedUntil = :until")
                    .conditionExpression("attribute_not_exists(listedUntil) OR listedUntil < :until")
                    .expressionAttributeValues(Map.of(":until", AttributeValue.fromN(Long.toString(listedUntil)))));
        } catch (ConditionalCheckFailedException e) {
            // A later run already listed further.
        }
    }
}
