package com.supportress.incident;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the next page of a status list starts: the ByStatus index's LastEvaluatedKey (status, receivedAt, id),
 * handed to the client as opaque base64url of "status|receivedAt|id" and checked strictly when it comes back, so no
 * crafted cursor reaches DynamoDB as anything but a well-formed key of that index.
 */
record ListCursor(String status, String receivedAt, String id) {

    static ListCursor of(Map<String, AttributeValue> lastEvaluatedKey) {
        return new ListCursor(lastEvaluatedKey.get("status").s(), lastEvaluatedKey.get("receivedAt").s(), lastEvaluatedKey.get("id").s());
    }

    String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((status + "|" + receivedAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back, if it is one this API made for the same status list. */
    static Optional<ListCursor> decode(String encoded, ReportStatus expectedStatus) {
        if (encoded.length() > 200) {
            return Optional.empty();
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parts.length != 3 || !parts[0].equals(expectedStatus.wireName()) || !FollowUpService.REPORT_ID.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        try {
            Instant.parse(parts[1]);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.of(new ListCursor(parts[0], parts[1], parts[2]));
    }

    Map<String, AttributeValue> startKey() {
        return Map.of("status", AttributeValue.fromS(status), "receivedAt", AttributeValue.fromS(receivedAt), "id", AttributeValue.fromS(id));
    }
}
