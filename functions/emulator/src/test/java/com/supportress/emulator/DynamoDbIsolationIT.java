package com.supportress.emulator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: moto as installed and the launcher's moto (both started here) under the same races. DynamoDB
 * isolates transactions: a cancelled one changes nothing, a committed write stays, and a key created under
 * attribute_not_exists is created once. moto as installed restores whole-table copies when it cancels a
 * transaction, undoing what others wrote meanwhile (moto-upstream/dynamodb_transaction_isolation.py).
 */
@Tag("emulator")
class DynamoDbIsolationIT {

    private static final int KEYS = 100;
    private static final int PLAIN_MOTO_ROUNDS = 5;
    // 2,000 items of 50 tags: moto deep-copies them on every transaction, long enough for the race to show on an idle machine.
    private static final int HISTORY_BATCHES = 80;

    @RegisterExtension
    static final MotoPair moto = new MotoPair();

    /** What one round of the race left: keys whose conditional put succeeded, how many are stored, how many could be claimed again. */
    private record Outcome(int claimed, int stored, int claimedAgain) {
        boolean isolated() {
            return stored == claimed && claimedAgain == 0;
        }
    }

    @Test
    void plainMotoLetsACancelledTransactionUndoCommittedConditionalWrites() throws Exception {
        DynamoDbClient dynamoDb = moto.dynamoDb(moto.plain);
        List<Outcome> rounds = new ArrayList<>();
        do {
            rounds.add(claimWhileTransactionsAreCancelled(dynamoDb));
        } while (rounds.getLast().isolated() && rounds.size() < PLAIN_MOTO_ROUNDS);

        assertTrue(!rounds.getLast().isolated(), "moto as installed kept every write in " + rounds
                + "; if moto isolates transactions now, the launcher's dynamodb-serializable patch may go");
    }

    @Test
    void launchedMotoKeepsEveryCommittedWriteWhileTransactionsAreCancelled() throws Exception {
        Outcome outcome = claimWhileTransactionsAreCancelled(moto.dynamoDb(moto.launched));

        assertEquals(new Outcome(KEYS, KEYS, 0), outcome);
    }

    @Test
    void launchedMotoLetsExactlyOneOfTwentyConcurrentTransactionsClaimAKey() throws Exception {
        DynamoDbClient dynamoDb = moto.dynamoDb(moto.launched);
        Tables tables = Tables.create(dynamoDb);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<String>> claimants = IntStream.range(0, 20).<Callable<String>>mapToObj(n -> () -> {
            start.await();
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(
                        t -> t.put(p -> p.tableName(tables.claims()).conditionExpression("attribute_not_exists(pk)")
                                .item(Map.of("pk", s("the-key"), "owner", s("claimant-" + n)))),
                        t -> t.put(p -> p.tableName(tables.history()).item(Map.of("pk", s("claimed-by-" + n))))));
                return "claimant-" + n;
            } catch (TransactionCanceledException e) {
                assertEquals("ConditionalCheckFailed", e.cancellationReasons().getFirst().code());
                return null;
            }
        }).toList();

        List<String> winners = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(claimants.size());
        try {
            List<Future<String>> results = claimants.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<String> result : results) {
                if (result.get() != null) {
                    winners.add(result.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, winners.size(), "winners: " + winners);
        assertEquals(winners.getFirst(), dynamoDb.getItem(r -> r.tableName(tables.claims()).consistentRead(true)
                .key(Map.of("pk", s("the-key")))).item().get("owner").s());
        assertEquals(1, dynamoDb.scan(r -> r.tableName(tables.history()).consistentRead(true)
                .filterExpression("begins_with(pk, :claim)").expressionAttributeValues(Map.of(":claim", s("claimed-by-")))).count());
    }

    /**
     * One thread claims {@link #KEYS} keys with conditional puts while another keeps running transactions whose
     * first condition fails. The second table holds enough data that moto takes a while to copy it, which is when
     * moto's cancelled transaction undoes the claims.
     */
    private static Outcome claimWhileTransactionsAreCancelled(DynamoDbClient dynamoDb) throws Exception {
        Tables tables = Tables.create(dynamoDb);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> claims = pool.submit(() -> {
                List<String> claimed = new ArrayList<>();
                for (int n = 0; n < KEYS; n++) {
                    if (claim(dynamoDb, tables, "key-" + n)) {
                        claimed.add("key-" + n);
                    }
                }
                return claimed;
            });
            Future<?> cancelled = pool.submit(() -> {
                while (!claims.isDone()) {
                    try {
                        dynamoDb.transactWriteItems(r -> r.transactItems(
                                t -> t.conditionCheck(c -> c.tableName(tables.claims()).key(Map.of("pk", s("no-such-key")))
                                        .conditionExpression("attribute_exists(pk)")),
                                t -> t.conditionCheck(c -> c.tableName(tables.history()).key(Map.of("pk", s("old-0")))
                                        .conditionExpression("attribute_exists(pk)"))));
                    } catch (TransactionCanceledException expected) {
                        // DynamoDB cancels each of these and changes nothing.
                    }
                }
            });
            List<String> claimed = claims.get();
            cancelled.get();
            int stored = dynamoDb.scan(r -> r.tableName(tables.claims()).consistentRead(true)).count();
            int claimedAgain = (int) claimed.stream().filter(key -> claim(dynamoDb, tables, key)).count();
            return new Outcome(claimed.size(), stored, claimedAgain);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean claim(DynamoDbClient dynamoDb, Tables tables, String key) {
        try {
            dynamoDb.putItem(r -> r.tableName(tables.claims()).item(Map.of("pk", s(key))).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A table of claims, and a second table with some data in it. */
    private record Tables(String claims, String history) {
        static Tables create(DynamoDbClient dynamoDb) {
            String prefix = "race-" + UUID.randomUUID().toString().substring(0, 8);
            Tables tables = new Tables(prefix + "-claims", prefix + "-history");
            for (String table : List.of(tables.claims(), tables.history())) {
                dynamoDb.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            }
            List<String> tags = IntStream.range(0, 50).mapToObj(n -> "tag-" + n).toList();
            for (int batch = 0; batch < HISTORY_BATCHES; batch++) {
                int first = batch * 25;
                List<WriteRequest> items = IntStream.range(first, first + 25).mapToObj(n -> WriteRequest.builder()
                        .putRequest(p -> p.item(Map.of("pk", s("old-" + n), "tags", AttributeValue.fromSs(tags)))).build()).toList();
                dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(tables.history(), items)));
            }
            return tables;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
