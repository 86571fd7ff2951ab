package com.supportress.backup;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BackupSummary;
import software.amazon.awssdk.services.dynamodb.model.BackupTypeFilter;
import software.amazon.awssdk.services.dynamodb.model.ListBackupsResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DynamoDB's own on-demand backups, one per table per day, pruned by the same retention as the S3 runs.
 * They restore a whole table in minutes without our code, a second, independent path back.
 */
final class NativeBackups {

    static final String NAME_PREFIX = "supportress-";

    private final DynamoDbClient dynamoDb;

    NativeBackups(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Today's backup of the table: created unless one exists (a second run on the same day makes none).
     * Returns its ARN.
     */
    String takeToday(String table, String runId, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return ours(table).stream()
                .filter(b -> LocalDate.ofInstant(b.backupCreationDateTime(), ZoneOffset.UTC).equals(today))
                .map(BackupSummary::backupArn)
                .findFirst()
                .orElseGet(() -> dynamoDb.createBackup(r -> r.tableName(table).backupName(NAME_PREFIX + runId)).backupDetails().backupArn());
    }

    int prune(List<String> tables, RetentionPolicy retention, Instant now) {
        int deleted = 0;
        for (String table : tables) {
            List<RetentionPolicy.Snapshot> snapshots = ours(table).stream()
                    .map(b -> new RetentionPolicy.Snapshot(b.backupArn(), b.backupCreationDateTime(), b.backupStatus() == BackupStatus.AVAILABLE))
                    .toList();
            Set<String> doomed = retention.toDelete(snapshots, now);
            for (String arn : doomed) {
                dynamoDb.deleteBackup(r -> r.backupArn(arn));
                deleted++;
            }
        }
        return deleted;
    }

    /** The table's on-demand backups made by this function; backups someone made by hand are never pruned. */
    List<BackupSummary> ours(String table) {
        List<BackupSummary> backups = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            ListBackupsResponse page = dynamoDb.listBackups(r -> r.tableName(table).backupType(BackupTypeFilter.USER).exclusiveStartBackupArn(from));
            page.backupSummaries().stream().filter(b -> b.backupName().startsWith(NAME_PREFIX) && table.equals(b.tableName())).forEach(backups::add);
            start = page.lastEvaluatedBackupArn();
        } while (start != null);
        return backups;
    }
}
