package com.supportress.backup;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.MotoServer;
import com.supportress.emulator.MutableClock;
import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: the table's emulator dies in the middle of a backup. The table lives on a moto this
 * test starts and kills itself after the first Scan page; the backup buckets live on the shared emulator.
 */
@Tag("emulator")
class BackupFaultIT {

    private static final String TABLE = "faulty";
    private static final int ITEMS = 4000;

    private EmulatedStack stack;
    private ApplicationContext context;
    private MutableClock clock;
    private BackupStores stores;
    private BackupConfig config;

    @BeforeEach
    void standUpStack() {
        stack = EmulatedStack.create(Map.of());
        clock = new MutableClock(Instant.now());
        context = stack.start("BackupFunction", clock);
        stores = context.getBean(BackupStores.class);
        BackupConfig stackConfig = context.getBean(BackupConfig.class);
        config = new BackupConfig(List.of(TABLE), stackConfig.bucket(), stackConfig.replicaBucket(), stackConfig.region(),
                stackConfig.replicaRegion(), 2, stackConfig.maxFileBytes(), stackConfig.retention(), stackConfig.scratchTablePrefix());
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void emulatorStoppedMidBackupFailsTheRunLeavesNoManifestAndTheNextRunSucceeds() {
        MotoServer dying = MotoServer.start();
        AtomicBoolean stopped = new AtomicBoolean();
        try (DynamoDbClient dynamoDb = dynamoDb(dying.endpoint(), new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution execution, ExecutionAttributes attributes) {
                if (execution.response() instanceof ScanResponse && stopped.compareAndSet(false, true)) {
                    dying.close();
                }
            }
        })) {
            fill(dynamoDb);

            BackupFailedException failed = assertThrows(BackupFailedException.class, () -> new BackupService(dynamoDb, stores, config, clock).run());

            assertTrue(stopped.get(), "the emulator was stopped during the scan");
            assertTrue(failed.getMessage().contains(TABLE), failed.getMessage());
        } finally {
            dying.close();
        }
        assertEquals(Optional.empty(), stores.primary().latest(), "no manifest, so no backup");
        List<RetentionPolicy.Snapshot> afterFailure = stores.primary().snapshots();
        assertTrue(afterFailure.stream().noneMatch(RetentionPolicy.Snapshot::complete), afterFailure.toString());
        assertTrue(stores.replica().runIds().isEmpty(), "nothing copied to the second region");
        assertTrue(stack.s3().listMultipartUploads(r -> r.bucket(stores.primary().bucket())).uploads().isEmpty(), "open uploads aborted");

        MotoServer healthy = MotoServer.start();
        try (DynamoDbClient dynamoDb = dynamoDb(healthy.endpoint(), new ExecutionInterceptor() { })) {
            fill(dynamoDb);
            clock.advance(Duration.ofMinutes(5));

            BackupReport next = new BackupService(dynamoDb, stores, config, clock).run();

            assertEquals(ITEMS, next.items());
            Manifest latest = stores.primary().latest().orElseThrow();
            assertEquals(next.runId(), latest.runId());
            assertEquals(ITEMS, latest.table(TABLE).orElseThrow().itemCount());
            assertTrue(stores.replica().manifest(next.runId()).isPresent());
            assertFalse(stores.primary().runIds().isEmpty());
        } finally {
            healthy.close();
        }
    }

    private static DynamoDbClient dynamoDb(URI endpoint, ExecutionInterceptor interceptor) {
        AwsSettings settings = new AwsSettings(EmulatedStack.REGION, Optional.of(endpoint),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY)));
        return settings.build(DynamoDbClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)), UrlConnectionHttpClient.create());
    }

    /** About 1 KB per item, so each of the two segments spans several 1 MB scan pages. */
    private static void fill(DynamoDbClient dynamoDb) {
        dynamoDb.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        dynamoDb.updateContinuousBackups(r -> r.tableName(TABLE).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "id", AttributeValue.fromS("item-" + i), "payload", AttributeValue.fromS("p".repeat(1000)))).build()).build());
            if (batch.size() == 25) {
                List<WriteRequest> full = List.copyOf(batch);
                dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(TABLE, full)));
                batch.clear();
            }
        }
    }
}
