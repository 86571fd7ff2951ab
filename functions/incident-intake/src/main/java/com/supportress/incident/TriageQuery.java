package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.FieldError;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query of GET /triage/reports, validated: {@code status} (required), {@code category}, {@code since} and
 * {@code until} (ISO-8601 instants, on the time received, in that order), {@code order} ({@code newest}, the default, or
 * {@code oldest}), {@code limit} (1 to 100, 25) and {@code cursor} (from the previous page).
 */
record TriageQuery(ReportStatus status, Optional<String> category, Instant since, Instant until, boolean newestFirst,
                   int limit, Optional<ListCursor> cursor) {

    static final int MAX_LIMIT = 100;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    static TriageQuery from(Map<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        Optional<ReportStatus> status = Optional.ofNullable(query.get("status")).flatMap(ReportStatus::fromWire);
        if (status.isEmpty()) {
            errors.add(new FieldError("status", "is required, one of " + ReportStatus.wireNames()));
        }
        Optional<String> category = Optional.ofNullable(query.get("category"));
        if (category.isPresent() && !IncidentSubmission.CATEGORIES.contains(category.get())) {
            errors.add(new FieldError("category", "must be one of " + String.join(", ", IncidentSubmission.CATEGORIES.stream().sorted().toList())));
        }
        Instant since = instant(query, "since", EARLIEST, errors);
        Instant until = instant(query, "until", LATEST, errors);
        // DynamoDB compares the index's receivedAt as text: bounds out of that order, or a cursor outside them, are a
        // ValidationException there, so both are refused here by the same comparison.
        if (since.toString().compareTo(until.toString()) > 0) {
            errors.add(new FieldError("until", "must not be before since"));
        }
        String order = query.getOrDefault("order", "newest");
        if (!order.equals("newest") && !order.equals("oldest")) {
            errors.add(new FieldError("order", "must be newest or oldest"));
        }
        int limit = 25;
        if (query.containsKey("limit")) {
            String value = query.get("limit");
            limit = value.matches("[0-9]{1,3}") ? Integer.parseInt(value) : 0;
            if (limit < 1 || limit > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be 1 to " + MAX_LIMIT));
            }
        }
        Optional<ListCursor> cursor = Optional.empty();
        if (query.containsKey("cursor") && status.isPresent()) {
            cursor = ListCursor.decode(query.get("cursor"), status.get())
                    .filter(next -> next.receivedAt().compareTo(since.toString()) >= 0 && next.receivedAt().compareTo(until.toString()) <= 0);
            if (cursor.isEmpty()) {
                errors.add(new FieldError("cursor", "must be the next cursor of a page of the same status, since and until"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ClientErrorException(new ClientError.InvalidFields(errors));
        }
        return new TriageQuery(status.get(), category, since, until, order.equals("newest"), limit, cursor);
    }

    private static Instant instant(Map<String, String> query, String name, Instant fallback, List<FieldError> errors) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 instant, e.g. 2026-11-24T18:30:00Z"));
            return fallback;
        }
    }
}
