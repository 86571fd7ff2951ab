package com.supportress.upload.store;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
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
 *
 * <p>The ingest function also keeps a lease on the record (a conditional write with an expiry: one worker at a
 * time checks, copies or cleans up an object) and the checkpoint of a copy that outlasts one invocation.
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

    /**
     * The composite checksum the client's declared part SHA-256s imply, recorded before the multipart upload is
     * completed, so the object S3 creates is never announced before what it must match is known.
     */
    public boolean recordCompositeSha256(String uploadId, String composite) {
        return transition(uploadId, List.of(UploadStatus.PENDING), UploadStatus.PENDING, "declaredCompositeSha256 = :composite",
                Map.of(":composite", AttributeValue.fromS(composite)));
    }

    /** The object version passed its checks; repeating this for an already stored upload is harmless. */
    public boolean markStored(String uploadId, String versionId, Instant storedAt) {
        return transition(uploadId, List.of(UploadStatus.PENDING, UploadStatus.STORED), UploadStatus.STORED,
                "objectVersionId = :version, storedAt = if_not_exists(storedAt, :at)",
                Map.of(":version", AttributeValue.fromS(versionId), ":at", AttributeValue.fromS(storedAt.toString())));
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

    /**
     * Takes the ingest lease on an upload until {@code until}, if nobody else holds a live one (the caller's own
     * lease is renewed). Returns the record and any copy checkpoint as they stand once leased.
     */
    public LeaseAttempt acquireLease(String uploadId, String owner, Instant now, Instant until) {
        try {
            Map<String, AttributeValue> item = dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(uploadId))
                    .updateExpression("SET leaseOwner = :owner, leaseExpiresAt = :until")
                    .conditionExpression("attribute_exists(uploadId) AND (attribute_not_exists(leaseExpiresAt)"
                            + " OR leaseExpiresAt <= :now OR leaseOwner = :owner)")
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner),
                            ":until", millis(until), ":now", millis(now)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
            return new LeaseAttempt.Acquired(fromItem(item), checkpointOf(item), until);
        } catch (ConditionalCheckFailedException e) {
            return leaseExpiry(uploadId)
                    .<LeaseAttempt>map(LeaseAttempt.Held::new)
                    .orElseGet(() -> find(uploadId).isPresent() ? new LeaseAttempt.Held(now) : new LeaseAttempt.NoUpload());
        }
    }

    /** When the current ingest lease on an upload expires; empty when nobody holds one. */
    public Optional<Instant> leaseExpiry(String uploadId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(key(uploadId)).consistentRead(true)
                .projectionExpression("leaseExpiresAt")).item();
        return Optional.ofNullable(item == null ? null : item.get("leaseExpiresAt"))
                .map(value -> Instant.ofEpochMilli(Long.parseLong(value.n())));
    }

    /** Saves a copy checkpoint, only while the caller still holds the lease: a worker that lost it must stop. */
    public boolean saveCheckpoint(String uploadId, String owner, CopyCheckpoint checkpoint) {
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(uploadId))
                    .updateExpression("SET copyTarget = :target, copySourceVersionId = :version, copyUploadId = :copy,"
                            + " copyPartsDone = :done, copySavedAt = :at")
                    .conditionExpression("leaseOwner = :owner")
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner),
                            ":target", AttributeValue.fromS(checkpoint.target().name()),
                            ":version", AttributeValue.fromS(checkpoint.sourceVersionId()),
                            ":copy", AttributeValue.fromS(checkpoint.multipartUploadId()),
                            ":done", number(checkpoint.partsDone()),
                            ":at", AttributeValue.fromS(checkpoint.savedAt().toString())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives the lease up (if still the caller's), dropping the copy checkpoint when the copy is finished or abandoned. */
    public void releaseLease(String uploadId, String owner, boolean dropCheckpoint) {
        String remove = "REMOVE leaseOwner, leaseExpiresAt"
                + (dropCheckpoint ? ", copyTarget, copySourceVersionId, copyUploadId, copyPartsDone, copySavedAt" : "");
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(uploadId))
                    .updateExpression(remove)
                    .conditionExpression("leaseOwner = :owner")
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner)))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // Taken over after it expired: the new holder owns the record's lease and checkpoint now.
        }
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
        upload.compositeSha256().ifPresent(v -> item.put("declaredCompositeSha256", AttributeValue.fromS(v)));
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
        return new UploadRecord(
                item.get("uploadId").s(),
                item.get("tenant").s(),
                item.get("fileName").s(),
                item.get("contentType").s(),
                Long.parseLong(item.get("size").n()),
                string(item, "declaredSha256"),
                string(item, "declaredCompositeSha256"),
                UploadMode.valueOf(item.get("mode").s()),
                string(item, "multipartUploadId"),
                Long.parseLong(item.get("partSize").n()),
                Integer.parseInt(item.get("partCount").n()),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("expiresAt").s()),
                UploadStatus.fromWire(item.get("status").s()),
                string(item, "reason"),
                string(item, "storedAt").map(Instant::parse),
                string(item, "objectVersionId"),
                string(item, "replicatedAt").map(Instant::parse),
                string(item, "replicaRegion"),
                Optional.ofNullable(item.get("replicationLagMillis")).map(v -> Long.parseLong(v.n())));
    }

    private static Optional<CopyCheckpoint> checkpointOf(Map<String, AttributeValue> item) {
        return string(item, "copyUploadId").map(copy -> new CopyCheckpoint(
                CopyCheckpoint.Target.valueOf(item.get("copyTarget").s()),
                item.get("copySourceVersionId").s(),
                copy,
                Integer.parseInt(item.get("copyPartsDone").n()),
                Instant.parse(item.get("copySavedAt").s())));
    }

    private static AttributeValue millis(Instant instant) {
        return number(instant.toEpochMilli());
    }

    private static Optional<String> string(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
