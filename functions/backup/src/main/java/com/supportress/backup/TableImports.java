package com.supportress.backup;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ImportStatus;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.InputCompressionType;
import software.amazon.awssdk.services.dynamodb.model.InputFormat;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableCreationParameters;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * DynamoDB's ImportTable from a table's backup: a new table with the backup's key schema and global
 * indexes, filled by DynamoDB from the gzip files under the table's data prefix, in either region's
 * bucket (the import reads across regions). ImportTable cannot create local secondary indexes; tables
 * with any, and empty tables, are restored by creating and writing instead.
 */
final class TableImports {

    private final DynamoDbClient dynamoDb;
    private final String bucketOwner;

    TableImports(DynamoDbClient dynamoDb, String bucketOwner) {
        this.dynamoDb = dynamoDb;
        this.bucketOwner = bucketOwner;
    }

    /** An empty table is created rather than imported: there is nothing to import, and DynamoDB's import wants files with items. */
    static boolean canImport(TableManifest backup) {
        return backup.localSecondaryIndexes().isEmpty() && backup.itemCount() > 0;
    }

    /** Starts the import; the same target and backup give the same token, so a retried call starts no second import. */
    String start(BackupStore store, TableManifest backup, String targetTable) {
        String token = UUID.nameUUIDFromBytes((store.bucket() + "/" + backup.dataPrefix() + "->" + targetTable).getBytes(StandardCharsets.UTF_8)).toString();
        return dynamoDb.importTable(r -> r.clientToken(token)
                        .s3BucketSource(s -> s.s3Bucket(store.bucket()).s3BucketOwner(bucketOwner).s3KeyPrefix(backup.dataPrefix()))
                        .inputFormat(InputFormat.DYNAMODB_JSON)
                        .inputCompressionType(InputCompressionType.GZIP)
                        .tableCreationParameters(creation(backup, targetTable)))
                .importTableDescription().importArn();
    }

    ImportTableDescription describe(String importArn) {
        return dynamoDb.describeImport(r -> r.importArn(importArn)).importTableDescription();
    }

    /** Drops a table this code created (a failed restore's, a proof's scratch table); nothing if it is gone. */
    void dropIfExists(String table) {
        if (table == null) {
            return;
        }
        try {
            dynamoDb.deleteTable(r -> r.tableName(table));
        } catch (ResourceNotFoundException e) {
            // never created, or dropped already
        }
    }

    static boolean running(ImportTableDescription description) {
        return description.importStatus() == ImportStatus.IN_PROGRESS || description.importStatus() == ImportStatus.CANCELLING;
    }

    /** Null when the import completed with exactly the backup's items; else why not. */
    static String problem(ImportTableDescription description, TableManifest backup) {
        if (description.importStatus() != ImportStatus.COMPLETED) {
            return "import " + description.importStatusAsString() + ": " + description.failureCode() + " " + description.failureMessage();
        }
        long imported = description.importedItemCount() == null ? -1 : description.importedItemCount();
        long errors = description.errorCount() == null ? 0 : description.errorCount();
        if (errors > 0 || imported != backup.itemCount()) {
            return "import loaded " + imported + " items with " + errors + " errors; the backup holds " + backup.itemCount();
        }
        return null;
    }

    private static TableCreationParameters creation(TableManifest backup, String targetTable) {
        TableCreationParameters.Builder creation = TableCreationParameters.builder()
                .tableName(targetTable)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(s -> s.enabled(true))
                .keySchema(keySchema(backup.keySchema()))
                .attributeDefinitions(attributeDefinitions(backup, false));
        if (!backup.globalSecondaryIndexes().isEmpty()) {
            creation.globalSecondaryIndexes(backup.globalSecondaryIndexes().stream()
                    .map(i -> GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(keySchema(i.keySchema())).projection(projection(i)).build())
                    .toList());
        }
        return creation.build();
    }

    /** The types of every key attribute of the table and of its indexes (local ones when asked), each once. */
    static List<AttributeDefinition> attributeDefinitions(TableManifest backup, boolean withLocalIndexes) {
        Map<String, String> attributeTypes = new LinkedHashMap<>();
        backup.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType()));
        backup.globalSecondaryIndexes().forEach(i -> i.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType())));
        if (withLocalIndexes) {
            backup.localSecondaryIndexes().forEach(i -> i.keySchema().forEach(k -> attributeTypes.put(k.name(), k.attributeType())));
        }
        return attributeTypes.entrySet().stream()
                .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build()).toList();
    }

    static List<KeySchemaElement> keySchema(List<Manifest.KeyAttribute> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.name()).keyType(k.keyType()).build()).toList();
    }

    static Projection projection(Manifest.Index index) {
        Projection.Builder projection = Projection.builder().projectionType(index.projectionType());
        if (!index.nonKeyAttributes().isEmpty()) {
            projection.nonKeyAttributes(index.nonKeyAttributes());
        }
        return projection.build();
    }
}
