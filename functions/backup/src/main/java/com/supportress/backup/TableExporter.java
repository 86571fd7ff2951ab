package com.supportress.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * One table into gzip files of DynamoDB JSON lines: a parallel Scan, each segment streaming its pages
 * through gzip into its own multipart uploads. Per segment, memory holds one scan page and one 8 MiB
 * part, whatever the table size.
 */
final class TableExporter {

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final String bucket;
    private final int segments;
    private final long maxFileBytes;

    TableExporter(DynamoDbClient dynamoDb, S3Client s3, String bucket, int segments, long maxFileBytes) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.bucket = bucket;
        this.segments = segments;
        this.maxFileBytes = maxFileBytes;
    }

    Manifest.TableBackup export(String runId, String table) {
        TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
        boolean pitr = dynamoDb.describeContinuousBackups(r -> r.tableName(table)).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED;
        List<SegmentResult> results = new ArrayList<>();
        // Not Future.cancel(true): an interrupted SDK call fails at once, and that would include the abort of
        // the segment's open upload. The other segments see this flag at their next page and abort cleanly.
        AtomicBoolean abandoned = new AtomicBoolean();
        Throwable failure = null;
        try (ExecutorService workers = Executors.newFixedThreadPool(segments)) {
            List<Future<SegmentResult>> futures = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int current = segment;
                futures.add(workers.submit(() -> {
                    try {
                        return exportSegment(runId, table, current, abandoned);
                    } catch (IOException | RuntimeException e) {
                        abandoned.set(true);
                        throw e;
                    }
                }));
            }
            for (Future<SegmentResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                } catch (InterruptedException e) {
                    abandoned.set(true);
                    Thread.currentThread().interrupt();
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw new BackupFailedException("backing up table " + table + " failed: " + failure.getMessage(), failure);
        }
        ItemHash content = new ItemHash();
        List<Manifest.BackupFile> files = new ArrayList<>();
        for (SegmentResult result : results) {
            content.addAll(result.hash());
            files.addAll(result.files());
        }
        files.sort(Comparator.comparing(Manifest.BackupFile::key));
        return new Manifest.TableBackup(table, keySchema(description.keySchema(), description.attributeDefinitions()),
                description.hasGlobalSecondaryIndexes()
                        ? description.globalSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(), i.projection(), description)).toList()
                        : List.of(),
                description.hasLocalSecondaryIndexes()
                        ? description.localSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(), i.projection(), description)).toList()
                        : List.of(),
                pitr, content.items(), files.stream().mapToLong(Manifest.BackupFile::bytes).sum(), content.hex(), files);
    }

    private record SegmentResult(List<Manifest.BackupFile> files, ItemHash hash) {
    }

    private SegmentResult exportSegment(String runId, String table, int segment, AtomicBoolean abandoned) throws IOException {
        List<Manifest.BackupFile> files = new ArrayList<>();
        ItemHash hash = new ItemHash();
        ItemFile file = null;
        try {
            // Consistent reads: an eventually consistent scan may miss writes acknowledged just before the run.
            for (ScanResponse page : dynamoDb.scanPaginator(r -> r.tableName(table).segment(segment).totalSegments(segments).consistentRead(true))) {
                if (abandoned.get()) {
                    throw new IOException("segment " + segment + " stopped: another segment of " + table + " failed");
                }
                for (Map<String, AttributeValue> item : page.items()) {
                    if (file == null) {
                        file = new ItemFile(BackupStore.fileKey(runId, table, segment, files.size()));
                    }
                    file.write(item);
                    hash.add(item);
                    if (file.compressedBytes() >= maxFileBytes) {
                        files.add(file.finish());
                        file = null;
                    }
                }
            }
            if (file != null) {
                files.add(file.finish());
                file = null;
            }
            return new SegmentResult(files, hash);
        } finally {
            if (file != null) {
                file.abort();
            }
        }
    }

    /** One backup file being written: JSON lines, gzip, hashed as stored, uploaded in parts. */
    private final class ItemFile {
        private final String key;
        private final MultipartUpload upload;
        private final HashingOutputStream stored;
        private final JsonGenerator json;
        private long items;

        ItemFile(String key) throws IOException {
            this.key = key;
            this.upload = new MultipartUpload(s3, bucket, key);
            this.stored = new HashingOutputStream(upload);
            this.json = DynamoJson.FACTORY.createGenerator(new GZIPOutputStream(stored, 64 * 1024));
        }

        void write(Map<String, AttributeValue> item) throws IOException {
            DynamoJson.writeItem(json, item);
            items++;
        }

        long compressedBytes() {
            return stored.bytes();
        }

        Manifest.BackupFile finish() throws IOException {
            try {
                json.close();
            } catch (IOException | RuntimeException e) {
                upload.abort();
                throw e;
            }
            return new Manifest.BackupFile(key, items, stored.bytes(), stored.sha256Hex());
        }

        void abort() {
            upload.abort();
        }
    }

    private static List<Manifest.KeyAttribute> keySchema(List<KeySchemaElement> keys, List<AttributeDefinition> definitions) {
        Map<String, String> types = definitions.stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        return keys.stream().map(k -> new Manifest.KeyAttribute(k.attributeName(), k.keyTypeAsString(), types.get(k.attributeName()))).toList();
    }

    private static Manifest.Index index(String name, List<KeySchemaElement> keys, Projection projection, TableDescription table) {
        return new Manifest.Index(name, keySchema(keys, table.attributeDefinitions()), projection.projectionTypeAsString(),
                projection.hasNonKeyAttributes() ? projection.nonKeyAttributes() : List.of());
    }
}
