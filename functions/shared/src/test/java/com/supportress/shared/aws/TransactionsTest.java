package com.supportress.shared.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier. DynamoDB's TransactionConflict cannot be provoked on an emulator (the launcher's moto serializes every
 * transaction, as DynamoDB isolates them), so a client that answers from a script stands in for it here.
 */
class TransactionsTest {

    /** Answers each call with the next scripted cancellation, or success once the script is used up. */
    private static final class ScriptedTable implements DynamoDbClient {
        private final Deque<TransactionCanceledException> script;
        private int calls;

        ScriptedTable(TransactionCanceledException... cancellations) {
            this.script = new ArrayDeque<>(Arrays.asList(cancellations));
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            calls++;
            if (!script.isEmpty()) {
                throw script.pop();
            }
            return TransactWriteItemsResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder().cancellationReasons(Arrays.stream(codes)
                .map(code -> CancellationReason.builder().code(code).build()).toList()).build();
    }

    @Test
    void conflictsAloneAreRetriedUntilTheTransactionPasses() {
        ScriptedTable table = new ScriptedTable(cancelled("None", "TransactionConflict"), cancelled("TransactionConflict", "None"));

        Transactions.write(table, List.of(), 4);

        assertEquals(3, table.calls);
    }

    @Test
    void aFailedConditionIsTheAnswerAtOnceEvenBesideAConflict() {
        TransactionCanceledException refused = cancelled("ConditionalCheckFailed", "TransactionConflict");
        ScriptedTable table = new ScriptedTable(refused);

        assertSame(refused, assertThrows(TransactionCanceledException.class, () -> Transactions.write(table, List.of(), 4)));
        assertEquals(1, table.calls);
        assertTrue(Transactions.conditionFailed(refused, 0));
        assertFalse(Transactions.conditionFailed(refused, 1));
        assertFalse(Transactions.conditionFailed(refused, 2));
    }

    @Test
    void theLastConflictIsThrownAfterTheAttempts() {
        ScriptedTable table = new ScriptedTable(cancelled("TransactionConflict"), cancelled("TransactionConflict"), cancelled("TransactionConflict"));

        TransactionCanceledException last = assertThrows(TransactionCanceledException.class, () -> Transactions.write(table, List.of(), 3));

        assertEquals(3, table.calls);
        assertTrue(Transactions.conflicted(last));
    }
}
