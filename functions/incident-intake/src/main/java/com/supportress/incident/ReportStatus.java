package com.supportress.incident;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a report stands, and the only moves the security team may make:
 * {@code received -> triaging -> accepted | duplicate | not-applicable -> resolved}. The wire name is what the
 * reports table stores (attribute {@code status}, the key of the ByStatus index) and the APIs show.
 */
public enum ReportStatus {
    RECEIVED,
    TRIAGING,
    ACCEPTED,
    DUPLICATE,
    NOT_APPLICABLE,
    RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ReportStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(value)).findFirst();
    }

    /** The statuses this one may move to; none from resolved, which is final. */
    public Set<ReportStatus> next() {
        return switch (this) {
            case RECEIVED -> Set.of(TRIAGING);
            case TRIAGING -> Set.of(ACCEPTED, DUPLICATE, NOT_APPLICABLE);
            case ACCEPTED, DUPLICATE, NOT_APPLICABLE -> Set.of(RESOLVED);
            case RESOLVED -> Set.of();
        };
    }

    public boolean canMoveTo(ReportStatus to) {
        return next().contains(to);
    }

    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(ReportStatus::wireName).toList());
    }
}
