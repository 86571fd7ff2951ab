package com.supportress.incident;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The items of the activity table (env {@code INCIDENT_ACTIVITY_TABLE}), all under the report's id ({@code reportId})
 * and told apart by the prefix of their sort key ({@code sk}):
 * <ul>
 * <li>{@code event#<time>#<n>}: the audit trail, one item per change (who, when, from what to what). Written only
 * by {@link #putEvent}, a put conditioned on a sort key nobody has used, so nothing is ever overwritten; no code
 * path updates or deletes an event.</li>
 * <li>{@code thread#<time>#<n>}: what the reporter sees, their messages and the team's replies.</li>
 * <li>{@code note#<time>#<n>}: the team's internal notes, never read by the reporter's routes.</li>
 * <li>{@code attachment#<uploadId>}: a file the reporter attached (the upload record has its status).</li>
 * <li>{@code timer#first-response}, {@code timer#retention}: while due, they carry {@code dueKind} and
 * {@code dueSince}, the keys of the sparse Due index the timers schedule reads. Mails still owed for a thread
 * message carry them too ({@code dueKind = mail}).</li>
 * </ul>
 * Times in sort keys have a fixed width (milliseconds, UTC), so they sort as they happened.
 */
final class Activity {

    static final String EVENT = "event#";
    static final String THREAD = "thread#";
    static final String NOTE = "note#";
    static final String ATTACHMENT = "attachment#";
    static final String FIRST_RESPONSE_TIMER = "timer#first-response";
    static final String RETENTION_TIMER = "timer#retention";

    static final String DUE_INDEX = "Due";
    static final String DUE_FIRST_RESPONSE = "first-response";
    /** Past the first-response target, its alarm not yet published: the marker that it is owed once. */
    static final String DUE_OVERDUE_ALARM = "overdue-alarm";
    static final String DUE_RETENTION = "retention";
    static final String DUE_MAIL = "mail";

    /** Who did something when no person did: the reporter (anonymous) and the schedules. */
    static final String REPORTER = "reporter";
    static final String SYSTEM = "system";

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Activity() {
    }

    /** An instant as sort keys and the Due index hold it: always milliseconds, so text order is time order. */
    static String sortable(Instant at) {
        return SORTABLE.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A new sort key under a prefix: the time; this instance's sequence, so that items one instance writes in the same
     * millisecond keep their order; random bits, so that two instances never write the same key (instances restored
     * from one SnapStart snapshot start from the same sequence).
     */
    static String newKey(String prefix, Instant at) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + sortable(at) + "#" + String.format("%012x", SEQUENCE.incrementAndGet()) + HexFormat.of().formatHex(random);
    }

    static Map<String, AttributeValue> key(String reportId, String sortKey) {
        return Map.of("reportId", AttributeValue.fromS(reportId), "sk", AttributeValue.fromS(sortKey));
    }

    /** One change, for the audit trail. */
    record Event(String type, String actor, Instant at, Optional<String> from, Optional<String> to, Optional<String> ref) {

        static Event of(String type, String actor, Instant at) {
            return new Event(type, actor, at, Optional.empty(), Optional.empty(), Optional.empty());
        }

        Event withMove(String fromStatus, String toStatus) {
            return new Event(type, actor, at, Optional.of(fromStatus), Optional.of(toStatus), ref);
        }

        Event withRef(String reference) {
            return new Event(type, actor, at, from, to, Optional.of(reference));
        }
    }

    /** Appends an event: a put that fails rather than replace anything under its key. */
    static TransactWriteItem putEvent(String table, String reportId, Event event) {
        Map<String, AttributeValue> item = new HashMap<>(key(reportId, newKey(EVENT, event.at())));
        item.put("type", AttributeValue.fromS(event.type()));
        item.put("actor", AttributeValue.fromS(event.actor()));
        item.put("at", AttributeValue.fromS(sortable(event.at())));
        event.from().ifPresent(v -> item.put("from", AttributeValue.fromS(v)));
        event.to().ifPresent(v -> item.put("to", AttributeValue.fromS(v)));
        event.ref().ifPresent(v -> item.put("ref", AttributeValue.fromS(v)));
        return putNew(table, item);
    }

    /** A timer starts: due for its kind since the given time, until something takes it off the Due index. */
    static TransactWriteItem startTimer(String table, String reportId, String timerKey, String dueKind, Instant since) {
        Map<String, AttributeValue> item = new HashMap<>(key(reportId, timerKey));
        item.put("dueKind", AttributeValue.fromS(dueKind));
        item.put("dueSince", AttributeValue.fromS(sortable(since)));
        return putNew(table, item);
    }

    static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(sk)")
                .build()).build();
    }
}
