package com.supportress.upload.store;

import com.supportress.shared.aws.Transactions;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * <p>The table also holds each tenant's quota counters (see {@link TenantQuota}) under keys no upload id can
 * take ({@code quota#...}; upload ids are {@code upl_} and hex): the set of the tenant's open uploads, and the
 * bytes declared per UTC day. An upload is added to both in the transaction that records it, and leaves the open
 * set in the transaction that moves it out of pending, so counters and records never drift apart, not even
 * through a restore of the table. A failed upload (aborted, or never uploaded) gives its bytes back.
 *
 * <p>The ingest function also keeps a lease on the record (a conditional write with an expiry: one worker at a
 * time checks, copies or cleans up an object) and the checkpoint of a copy that outlasts one invocation.
 */
@Singleton
public class UploadStore {

    public static final String REPLICATION_PENDING_INDEX = "ReplicationPending";
    private static final String PENDING_MARK = "pending";
    private static final String OPEN_UPLOADS_KEY = "quota#open#";
    private static final String DAILY_BYTES_KEY = "quota#bytes#";
    private static final int CREATE_OPEN_UPLOADS_ITEM = 1;
    private static final int CREATE_DAILY_BYTES_ITEM = 2;
    private static final int CONFLICT_ATTEMPTS = 4;

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

    /**
     * Records a new pending upload and counts it against its tenant's quota, all or nothing; throws
     * {@link TenantQuota.ExceededException} (nothing recorded) when the upload would pass a limit.
     */
    public void create(UploadRecord upload, TenantQuota quota) {
        if (upload.size() > quota.maxBytesPerDay()) {
            throw new IllegalArgumentException("an upload larger than the daily quota must be refused before it is recorded");
        }
        LocalDate day = LocalDate.ofInstant(upload.createdAt(), ZoneOffset.UTC);
        Map<String, AttributeValue> item = toItem(upload);
        item.put("quotaDay", AttributeValue.fromS(day.toString()));
        try {
            transact(List.of(
                    // Ids are 160 random bits, so a collision is a bug worth a 500, never an overwrite.
                    TransactWriteItem.builder().put(put -> put.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(uploadId)")).build(),
                    TransactWriteItem.builder().update(update -> update.tableName(table)
                            .key(key(OPEN_UPLOADS_KEY + upload.tenant()))
                            .updateExpression("ADD openUploads :upload")
                            .conditionExpression("attribute_not_exists(openUploads) OR size(openUploads) < :max")
                            .expressionAttributeValues(Map.of(":upload", AttributeValue.fromSs(List.of(upload.uploadId())),
                                    ":max", number(quota.maxOpenUploads())))).build(),
                    TransactWriteItem.builder().update(update -> update.tableName(table)
                            .key(key(DAILY_BYTES_KEY + upload.tenant() + "#" + day))
                            .updateExpression("ADD #bytes :size SET counterExpiresAt = :expires")
                            .conditionExpression("attribute_not_exists(#bytes) OR #bytes <= :remaining")
                            .expressionAttributeNames(Map.of("#bytes", "bytes"))
                            .expressionAttributeValues(Map.of(":size", number(upload.size()),
                                    ":remaining", number(quota.maxBytesPerDay() - upload.size()),
                                    ":expires", number(counterExpiresAt(day))))).build()));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, CREATE_OPEN_UPLOADS_ITEM)) {
                throw new TenantQuota.ExceededException(TenantQuota.Limit.OPEN_UPLOADS);
            }
            if (Transactions.conditionFailed(e, CREATE_DAILY_BYTES_ITEM)) {
                throw new TenantQuota.ExceededException(TenantQuota.Limit.BYTES_PER_DAY);
            }
            if (Transactions.conflicted(e)) {
                throw new TenantQuota.ExceededException(TenantQuota.Limit.CONCURRENT_REQUESTS);
            }
            throw e;
        }
    }

    /**
     * The put of a new pending upload outside any tenant's quota, for another transaction to carry: a security
     * report's attachment, which the report counts and caps instead.
     */
    public TransactWriteItem createOutsideQuota(UploadRecord upload) {
        return TransactWriteItem.builder().put(put -> put.tableName(table).item(toItem(upload))
                .conditionExpression("attribute_not_exists(uploadId)")).build();
    }

    /** The name a client gave its file goes when its owner's data is removed (a security report past retention). */
    public void redactFileName(String uploadId) {
        dynamoDb.updateItem(r -> r.tableName(table).key(key(uploadId))
                .updateExpression("SET fileName = :removed")
                .conditionExpression("attribute_exists(uploadId)")
                .expressionAttributeValues(Map.of(":removed", AttributeValue.fromS(REDACTED_FILE_NAME))));
    }

    /** What a removed file name reads as. */
    public static final String REDACTED_FILE_NAME = "(removed)";

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
        try {
            // Not a status change: the upload stays pending, and in its tenant's quota.
            dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(uploadId))
                    .updateExpression("SET declaredCompositeSha256 = :composite")
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":composite", AttributeValue.fromS(composite),
                            ":pending", AttributeValue.fromS(UploadStatus.PENDING.wireName())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
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

    /**
     * Sets the new status and the given assignments (a REMOVE clause may follow them) only if the status is one of
     * from; leaving pending releases the upload's quota in the same transaction.
     */
    private boolean transition(String uploadId, List<UploadStatus> from, UploadStatus to, String assignments,
                               Map<String, AttributeValue> values) {
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            allValues.put(":from" + i, AttributeValue.fromS(from.get(i).wireName()));
            allowed.add(":from" + i);
        }
        allValues.put(":to", AttributeValue.fromS(to.wireName()));
        Update statusChange = Update.builder()
                .tableName(table)
                .key(key(uploadId))
                .updateExpression("SET #status = :to, " + assignments)
                .conditionExpression("#status IN (" + String.join(", ", allowed) + ")")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(allValues)
                .build();
        if (!from.contains(UploadStatus.PENDING)) {
            // Nothing to release with it: one conditional write (a one-item transaction costs twice the capacity).
            try {
                dynamoDb.updateItem(UpdateItemRequest.builder().tableName(table).key(statusChange.key())
                        .updateExpression(statusChange.updateExpression()).conditionExpression(statusChange.conditionExpression())
                        .expressionAttributeNames(statusChange.expressionAttributeNames())
                        .expressionAttributeValues(statusChange.expressionAttributeValues()).build());
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(statusChange).build());
        Optional<List<TransactWriteItem>> quota = quotaRelease(uploadId, to == UploadStatus.FAILED);
        if (quota.isEmpty()) {
            return false;
        }
        items.addAll(quota.get());
        try {
            transact(items);
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * What leaving pending does to the quota, written in the status change's transaction: the upload leaves its
     * tenant's open set (a no-op when it already had), and a failed upload gives its bytes back to the day that
     * counted them. Tenant, size and day never change, so reading them first races with nothing. Empty when
     * there is no such upload.
     */
    private Optional<List<TransactWriteItem>> quotaRelease(String uploadId, boolean refundBytes) {
        Map<String, AttributeValue> counted = dynamoDb.getItem(r -> r.tableName(table).key(key(uploadId)).consistentRead(true)
                .projectionExpression("tenant, #size, quotaDay").expressionAttributeNames(Map.of("#size", "size"))).item();
        if (counted == null || counted.isEmpty()) {
            return Optional.empty();
        }
        String tenant = counted.get("tenant").s();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(update -> update.tableName(table).key(key(OPEN_UPLOADS_KEY + tenant))
                .updateExpression("DELETE openUploads :upload")
                .expressionAttributeValues(Map.of(":upload", AttributeValue.fromSs(List.of(uploadId))))).build());
        // Uploads recorded before quotas existed carry no quotaDay: they were never counted, so nothing is refunded.
        if (refundBytes && counted.containsKey("quotaDay")) {
            LocalDate day = LocalDate.parse(counted.get("quotaDay").s());
            items.add(TransactWriteItem.builder().update(update -> update.tableName(table)
                    .key(key(DAILY_BYTES_KEY + tenant + "#" + day))
                    .updateExpression("ADD #bytes :refund SET counterExpiresAt = if_not_exists(counterExpiresAt, :expires)")
                    .expressionAttributeNames(Map.of("#bytes", "bytes"))
                    .expressionAttributeValues(Map.of(":refund", AttributeValue.fromN("-" + counted.get("size").n()),
                            ":expires", number(counterExpiresAt(day))))).build());
        }
        return Optional.of(items);
    }

    /** Daily counters outlive their day long enough that an upload failing a day after its creation still finds its own. */
    private static long counterExpiresAt(LocalDate day) {
        return day.plusDays(3).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** A tenant's concurrent requests all touch its quota items, so DynamoDB's conflicts between them are retried. */
    private void transact(List<TransactWriteItem> items) {
        Transactions.write(dynamoDb, items, CONFLICT_ATTEMPTS);
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
