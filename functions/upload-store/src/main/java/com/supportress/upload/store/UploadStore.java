package com.supportress.upload.store;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upload records in the uploads table (env {@code UPLOADS_TABLE}). Every status change is a conditional
 * write on the status it leaves, so a repeated or concurrent event can never move an upload backwards
 * or record it twice. Records awaiting replication carry {@code replicationPending}, the key of the
 * sparse index the reconciliation schedule reads.
 */
@Singleton
public class UploadStore {

    public static final String REPLICATION_PENDING_INDEX = "ReplicationPending";
    private static final String PENDING_MARK = "pending";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public UploadStore(DynamoDbClient dynamoDb, Table table) {
        this.dynamoDb = dynamoDb;
        this.table = table.name();
    }

    /** The uploads table's name, read from the environment in one place. */
    public record Table(String name) {
    }

    @Factory
    static class Beans {
        @Singleton
        Table uploadsTable(FunctionEnvironment environment) {
            return new Table(environment.require("UPLOADS_TABLE"));
        }
    }

    public void create(UploadRecord upload) {
        // Ids are 160 random bits, so a collision is a bug worth a 500, never an overwrite.
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(upload)).conditionExpression("attribute_not_exists(uploadId)"));
    }

    public Optional<UploadRecord> find(String uploadId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(key(uploadId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Aborted or never uploaded: only a pending upload can fail. */
    public boolean markFailed(String uploadId, String reason, Instant at) {
        return transition(uploadId, List.of(UploadStatus.PENDING), UploadStatus.FAILED,
                "reason = :reason, failedAt = :at REMOVE replicationPending",
                Map.of(":reason", AttributeValue.fromS(reason), ":at", AttributeValue.fromS(at.toString())));
    }

    /** The object passed its checks; repeating this for an already stored upload is harmless. */
    public boolean markStored(String uploadId, String sha256, Instant storedAt) {
        return transition(uploadId, List.of(UploadStatus.PENDING, UploadStatus.STORED), UploadStatus.STORED,
                "sha256 = :sha256, storedAt = if_not_exists(storedAt, :at)",
                Map.of(":sha256", AttributeValue.fromS(sha256), ":at", AttributeValue.fromS(storedAt.toString())));
    }

    public boolean markQuarantined(String uploadId, String reason, Instant at) {
        return transition(uploadId, List.of(UploadStatus.PENDING, UploadStatus.STORED), UploadStatus.QUARANTINED,
                "reason = :reason, quarantinedAt = :at REMOVE replicationPending",
                Map.of(":reason", AttributeValue.fromS(reason), ":at", AttributeValue.fromS(at.toString())));
    }

    public boolean markReplicated(String uploadId, String replicaRegion, Instant at, long lagMillis) {
        return transition(uploadId, List.of(UploadStatus.STORED), UploadStatus.REPLICATED,
                "replicaRegion = :region, replicatedAt = :at, replicationLagMillis = :lag REMOVE replicationPending",
                Map.of(":region", AttributeValue.fromS(replicaRegion), ":at", AttributeValue.fromS(at.toString()),
                        ":lag", AttributeValue.fromN(Long.toString(lagMillis))));
    }

    /** Ids of uploads created before the cutoff that are still not replicated, quarantined or failed. */
    public List<String> awaitingReplicationCreatedBefore(Instant cutoff) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var page = dynamoDb.query(QueryRequest.builder()
                    .tableName(table)
                    .indexName(REPLICATION_PENDING_INDEX)
                    .keyConditionExpression("replicationPending = :pending AND createdAt < :cutoff")
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(PENDING_MARK),
                            ":cutoff", AttributeValue.fromS(cutoff.toString())))
                    .exclusiveStartKey(start)
                    .build());
            page.items().forEach(item -> ids.add(item.get("uploadId").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }

    /** Sets the new status and the given assignments (a REMOVE clause may follow them) only if the status is one of from. */
    private boolean transition(String uploadId, List<UploadStatus> from, UploadStatus to, String assignments,
                               Map<String, AttributeValue> values) {
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            allValues.put(":from" + i, AttributeValue.fromS(from.get(i).wireName()));
            allowed.add(":from" + i);
        }
        allValues.put(":to", AttributeValue.fromS(to.wireName()));
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(uploadId))
                    .updateExpression("SET #status = :to, " + assignments)
                    .conditionExpression("#status IN (" + String.join(", ", allowed) + ")")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(allValues)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String uploadId) {
        return Map.of("uploadId", AttributeValue.fromS(uploadId));
    }

    private static Map<String, AttributeValue> toItem(UploadRecord upload) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("uploadId", AttributeValue.fromS(upload.uploadId()));
        item.put("tenant", AttributeValue.fromS(upload.tenant()));
        item.put("objectKey", AttributeValue.fromS(upload.objectKey()));
        item.put("fileName", AttributeValue.fromS(upload.fileName()));
        item.put("contentType", AttributeValue.fromS(upload.contentType()));
        item.put("size", number(upload.size()));
        upload.sha256().ifPresent(v -> item.put("declaredSha256", AttributeValue.fromS(v)));
        item.put("mode", AttributeValue.fromS(upload.mode().name()));
        upload.multipartUploadId().ifPresent(v -> item.put("multipartUploadId", AttributeValue.fromS(v)));
        item.put("partSize", number(upload.partSize()));
        item.put("partCount", number(upload.partCount()));
        item.put("createdAt", AttributeValue.fromS(upload.createdAt().toString()));
        item.put("expiresAt", AttributeValue.fromS(upload.expiresAt().toString()));
        item.put("status", AttributeValue.fromS(upload.status().wireName()));
        if (upload.status().awaitsReplication()) {
            item.put("replicationPending", AttributeValue.fromS(PENDING_MARK));
        }
        return item;
    }

    private static UploadRecord fromItem(Map<String, AttributeValue> item) {
        // sha256 is the verified digest once stored; until then the declared one is all there is.
        Optional<String> sha256 = string(item, "sha256").or(() -> string(item, "declaredSha256"));
        return new UploadRecord(
                item.get("uploadId").s(),
                item.get("tenant").s(),
                item.get("fileName").s(),
                item.get("contentType").s(),
                Long.parseLong(item.get("size").n()),
                sha256,
                UploadMode.valueOf(item.get("mode").s()),
                string(item, "multipartUploadId"),
                Long.parseLong(item.get("partSize").n()),
                Integer.parseInt(item.get("partCount").n()),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("expiresAt").s()),
                UploadStatus.fromWire(item.get("status").s()),
                string(item, "reason"),
                string(item, "storedAt").map(Instant::parse),
                string(item, "replicatedAt").map(Instant::parse),
                string(item, "replicaRegion"),
                Optional.ofNullable(item.get("replicationLagMillis")).map(v -> Long.parseLong(v.n())));
    }

    private static Optional<String> string(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
