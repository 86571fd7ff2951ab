package com.supportress.backup;

import com.supportress.shared.log.LogContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The daily schedule's work, done in seconds whatever the tables' size: per table, DynamoDB's own
 * on-demand backup first, then a full ExportTableToPointInTime into the working bucket. DynamoDB does the
 * reading; {@link BackupFinisher} takes it from there. Tables are independent: one that cannot be
 * described, backed up or exported is recorded as failed and the others go on.
 */
@Singleton
public class BackupStarter {

    private static final Logger LOG = LoggerFactory.getLogger(BackupStarter.class);

    private final DynamoDbClient dynamoDb;
    private final WorkBucket work;
    private final BackupConfig config;
    private final Clock clock;
    private final NativeBackups nativeBackups;

    public BackupStarter(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.work = stores.work();
        this.config = config;
        this.clock = clock;
        this.nativeBackups = new NativeBackups(dynamoDb);
    }

    public StartReport start() {
        if (config.tables().isEmpty()) {
            throw new IllegalStateException("BACKUP_TABLES is empty: nothing would be backed up");
        }
        Instant startedAt = clock.instant();
        String runId = BackupStore.newRunId(startedAt);
        LogContext.put("backupRunId", runId);
        List<RunState.TableState> tables;
        try (ExecutorService workers = Executors.newFixedThreadPool(Math.min(config.tables().size(), 8))) {
            List<Future<RunState.TableState>> started = config.tables().stream()
                    .map(table -> workers.submit(() -> start(runId, table, startedAt)))
                    .toList();
            tables = started.stream().map(BackupStarter::result).toList();
        }
        RunState state = new RunState(runId, startedAt, tables, null, null);
        work.create(WorkBucket.stateKey(runId), state);
        tables.forEach(t -> {
            if (t.status() == TableStatus.FAILED) {
                LOG.error("table {} not exported in run {}: {}", t.table(), runId, t.error());
            }
        });
        LOG.info("backup run {} started: {} of {} exports under way", runId,
                tables.stream().filter(t -> t.status() == TableStatus.EXPORTING).count(), tables.size());
        return StartReport.of(state);
    }

    private static RunState.TableState result(Future<RunState.TableState> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting a table's backup failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the backups", e);
        }
    }

    /** One table: native backup, then the export. Never throws: a failure is the table's state. */
    private RunState.TableState start(String runId, String table, Instant now) {
        String nativeArn = null;
        String nativeError = null;
        try {
            nativeArn = nativeBackups.takeToday(table, runId, now);
        } catch (RuntimeException e) {
            nativeError = e.getMessage();
            LOG.error("native backup of {} failed: {}", table, e.getMessage());
        }
        try {
            TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
            boolean pitr = dynamoDb.describeContinuousBackups(r -> r.tableName(table)).continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED;
            // The same token for the same run and table: a retried call starts no second export.
            String token = UUID.nameUUIDFromBytes((runId + "/" + table).getBytes(StandardCharsets.UTF_8)).toString();
            String exportArn = dynamoDb.exportTableToPointInTime(r -> r.tableArn(description.tableArn())
                            .s3Bucket(work.bucket()).s3BucketOwner(config.bucketOwner()).s3Prefix(WorkBucket.exportPrefix(runId, table))
                            .exportFormat(ExportFormat.DYNAMODB_JSON).exportType(ExportType.FULL_EXPORT).clientToken(token))
                    .exportDescription().exportArn();
            return new RunState.TableState(table, description.tableArn(), keySchema(description.keySchema(), description),
                    indexes(description, true), indexes(description, false), pitr, nativeArn, nativeError, exportArn, null, null,
                    TableStatus.EXPORTING, List.of(), 0, null, null);
        } catch (PointInTimeRecoveryUnavailableException e) {
            return RunState.TableState.failedToStart(table, nativeArn, nativeError,
                    "point-in-time recovery is off for " + table + ", so DynamoDB cannot export it: " + e.getMessage());
        } catch (RuntimeException e) {
            return RunState.TableState.failedToStart(table, nativeArn, nativeError, "export of " + table + " not started: " + e.getMessage());
        }
    }

    private static List<Manifest.Index> indexes(TableDescription table, boolean global) {
        if (global) {
            return table.hasGlobalSecondaryIndexes()
                    ? table.globalSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(), i.projection(), table)).toList()
                    : List.of();
        }
        return table.hasLocalSecondaryIndexes()
                ? table.localSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(), i.projection(), table)).toList()
                : List.of();
    }

    private static List<Manifest.KeyAttribute> keySchema(List<KeySchemaElement> keys, TableDescription table) {
        Map<String, String> types = table.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        return keys.stream().map(k -> new Manifest.KeyAttribute(k.attributeName(), k.keyTypeAsString(), types.get(k.attributeName()))).toList();
    }

    private static Manifest.Index index(String name, List<KeySchemaElement> keys, Projection projection, TableDescription table) {
        return new Manifest.Index(name, keySchema(keys, table), projection.projectionTypeAsString(),
                projection.hasNonKeyAttributes() ? projection.nonKeyAttributes() : List.of());
    }
}
