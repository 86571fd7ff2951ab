package com.supportress.billing;

/**
 * The position of an event in the history of one group of state: the provider object's own time (Stripe's
 * event {@code created}, Chargebee's {@code resource_version}), then a rank of the object's state for events
 * of the same second (a subscription that became active outranks the incomplete one created in that second),
 * then the event id so that no two events tie. Encoded as a fixed-width string, so DynamoDB compares it with
 * {@code <} in a condition expression, and so that "newer" is the same total order in Java and in the table.
 */
public record Watermark(long epochMillis, int rank, String eventId) implements Comparable<Watermark> {

    /** The largest time the fixed width of {@link #encoded()} holds. */
    static final long MAX_EPOCH_MILLIS = 999_999_999_999_999L;

    public Watermark {
        if (epochMillis < 0 || epochMillis > MAX_EPOCH_MILLIS || rank < 0 || rank > 99) {
            throw new IllegalArgumentException("watermark out of range");
        }
    }

    public String encoded() {
        return String.format("%015d:%02d:%s", epochMillis, rank, eventId);
    }

    @Override
    public int compareTo(Watermark other) {
        return encoded().compareTo(other.encoded());
    }
}
