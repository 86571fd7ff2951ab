package com.supportress.shared.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TransactWriteItems with DynamoDB's own conflicts retried. DynamoDB cancels a transaction that meets another one on
 * the same item at that moment (TransactionConflict); once that one has settled, the same transaction may pass, or
 * fail a condition the other one changed. So only a cancellation made of conflicts alone is retried, after a jittered
 * pause that doubles each time; one that names a failed condition is the answer and is thrown at once, as is the last
 * conflict. Callers read the reasons with {@link #conditionFailed}.
 */
public final class Transactions {

    private Transactions() {
    }

    /** Writes the items as one transaction, with up to {@code attempts} tries while it only meets conflicts. */
    public static void write(DynamoDbClient dynamoDb, List<TransactWriteItem> items, int attempts) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                if (attempt >= attempts || !onlyConflicts(e)) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    /** Whether the item at {@code index} of the cancelled transaction failed its condition. */
    public static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Whether another transaction on the same items cancelled this one (still so after the retries). */
    public static boolean conflicted(TransactionCanceledException e) {
        return e.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()));
    }

    private static boolean onlyConflicts(TransactionCanceledException e) {
        return conflicted(e) && e.cancellationReasons().stream().noneMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
    }

    private static void pause(int attempt, TransactionCanceledException cancelled) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10L << attempt, 20L << attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cancelled;
        }
    }
}
