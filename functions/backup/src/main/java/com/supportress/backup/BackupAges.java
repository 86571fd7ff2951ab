package com.supportress.backup;

import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.metrics.MetricUnit;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How long each table has gone without a backup verified in both regions, the number its alarm watches.
 * The finisher records each table's latest verified backup in {@code status/<table>.json} and publishes,
 * on every run, one CloudWatch metric per table (Embedded Metric Format through {@link EmbeddedMetrics}: a
 * JSON log line CloudWatch turns into the metric, no PutMetricData call). A table never backed up counts from its creation.
 */
final class BackupAges {

    private static final Logger LOG = LoggerFactory.getLogger(BackupAges.class);
    static final String METRIC = "HoursSinceVerifiedBackup";
    /** The dimension of every per-table backup metric; its alarms name the table by it. */
    static final String TABLE_DIMENSION = "Table";

    @Serdeable
    record Verified(String table, String runId, Instant verifiedAt) {
    }

    @Serdeable
    public record TableAge(String table, double hours, String lastVerifiedRun) {
    }

    private final WorkBucket work;
    private final DynamoDbClient dynamoDb;

    BackupAges(WorkBucket work, DynamoDbClient dynamoDb) {
        this.work = work;
        this.dynamoDb = dynamoDb;
    }

    /** Records a verified backup unless a newer one is recorded; conditional writes, so concurrent finishers keep the newest. */
    void verified(String table, String runId, Instant at) {
        String key = WorkBucket.statusKey(table);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<WorkBucket.Versioned<Verified>> current = work.read(key, Verified.class);
            if (current.isPresent() && !current.get().value().verifiedAt().isBefore(at)) {
                return;
            }
            try {
                Verified value = new Verified(table, runId, at);
                if (current.isPresent()) {
                    work.replace(key, value, current.get().etag());
                } else {
                    work.create(key, value);
                }
                return;
            } catch (WorkBucket.ConcurrentUpdateException e) {
                // another finisher recorded one meanwhile: compare again
            }
        }
    }

    List<TableAge> ages(List<String> tables, Instant now) {
        List<TableAge> ages = new ArrayList<>();
        for (String table : tables) {
            try {
                Optional<Verified> last = work.read(WorkBucket.statusKey(table), Verified.class).map(WorkBucket.Versioned::value);
                Instant since = last.isPresent() ? last.get().verifiedAt()
                        : dynamoDb.describeTable(r -> r.tableName(table)).table().creationDateTime();
                ages.add(new TableAge(table, Math.max(0, Duration.between(since, now).toSeconds()) / 3600.0, last.map(Verified::runId).orElse(null)));
            } catch (RuntimeException e) {
                // No value for this table: its alarm treats missing data as breaching.
                LOG.error("cannot tell the backup age of {}: {}", table, e.getMessage());
            }
        }
        return ages;
    }

    /** The metric with the table as its dimension, in hours to two decimals. */
    static void publish(EmbeddedMetrics metrics, TableAge age) {
        metrics.entry().dimension(TABLE_DIMENSION, age.table())
                .value(METRIC, Math.round(age.hours() * 100) / 100.0, MetricUnit.NONE)
                .emit();
    }
}
