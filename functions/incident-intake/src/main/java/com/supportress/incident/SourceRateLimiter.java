package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.Map;

/**
 * At most N accepted reports per source IP per clock hour. The counter is one DynamoDB item per
 * source and hour; its conditional increment is written in the same transaction as the report, so
 * the limit holds across Lambda instances and only stored reports use up a slot (a replay or a
 * rejected request does not). TTL removes old windows.
 */
@Singleton
public class SourceRateLimiter {

    private static final long WINDOW_SECONDS = 3600;
    private static final String FOLLOW_UP = "follow-up#";

    private final IncidentIntakeConfig config;
    private final DynamoDbClient dynamoDb;

    public SourceRateLimiter(IncidentIntakeConfig config, DynamoDbClient dynamoDb) {
        this.config = config;
        this.dynamoDb = dynamoDb;
    }

    /** The write that takes one slot of this source's current window; it fails its condition when none is left. */
    public TransactWriteItem slot(String sourceIp, Instant now) {
        return TransactWriteItem.builder().update(take("rate#", sourceIp, config.reportsPerSourcePerHour(), now)).build();
    }

    /**
     * The write that takes one of {@code limit} follow-up requests of this source's current window, on its own
     * counter, for the transaction of what the request adds to a report: only requests that are served count, as
     * only stored reports count for intake, so a refused request stores nothing at all.
     */
    public TransactWriteItem followUpSlot(String sourceIp, int limit, Instant now) {
        return TransactWriteItem.builder().update(take(FOLLOW_UP, sourceIp, limit, now)).build();
    }

    /** The same slot on its own, for a read of a report (429 when none is left). */
    public void takeFollowUpSlot(String sourceIp, int limit, Instant now) {
        Update update = take(FOLLOW_UP, sourceIp, limit, now);
        try {
            dynamoDb.updateItem(r -> r.tableName(update.tableName()).key(update.key())
                    .updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                    .expressionAttributeValues(update.expressionAttributeValues()));
        } catch (ConditionalCheckFailedException e) {
            throw limited(now);
        }
    }

    private Update take(String counter, String sourceIp, int limit, Instant now) {
        long windowStart = now.getEpochSecond() / WINDOW_SECONDS * WINDOW_SECONDS;
        return Update.builder()
                .tableName(config.controlTable())
                .key(Map.of("pk", AttributeValue.fromS(counter + sourceIp + "#" + windowStart)))
                .updateExpression("ADD reports :one SET expiresAt = :expiresAt")
                .conditionExpression("attribute_not_exists(reports) OR reports < :limit")
                .expressionAttributeValues(Map.of(
                        ":one", IncidentStore.number(1),
                        ":limit", IncidentStore.number(limit),
                        ":expiresAt", IncidentStore.number(windowStart + 2 * WINDOW_SECONDS)))
                .build();
    }

    /** The 429 for a source whose window is full: retry when the window ends. */
    public ClientErrorException limited(Instant now) {
        long windowEnd = (now.getEpochSecond() / WINDOW_SECONDS + 1) * WINDOW_SECONDS;
        return new ClientErrorException(new ClientError.RateLimited(Math.max(1, windowEnd - now.getEpochSecond())));
    }
}
