package com.supportress.upload.api;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.FieldError;
import com.supportress.shared.http.JsonFields;
import com.supportress.upload.store.S3Checksums;
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The arrays in the bodies of POST /uploads/{id}/parts and POST /uploads/{id}/complete, validated. Each part
 * carries the SHA-256 the client computed for it: its URL is signed over that checksum, so S3 refuses other
 * bytes, and completion names it again, so S3 refuses to assemble a part that differs.
 */
final class PartSelection {

    /** At most this many URLs per request: enough for a browser's parallel window, small enough to answer fast. */
    static final int MAX_URLS_PER_REQUEST = 100;

    /** A part the client is about to send, with the SHA-256 of its bytes (base64). */
    record RequestedPart(int partNumber, String sha256) {
    }

    /** A part as the client says it uploaded it. */
    record ClaimedPart(int partNumber, String etag, String sha256) {
    }

    private PartSelection() {
    }

    /** 1 to 100 distinct parts, each {partNumber, sha256}. */
    static List<RequestedPart> requestedParts(JsonNode body, int partCount) {
        JsonNode array = body.get("parts");
        if (array == null || !array.isArray() || array.size() == 0 || array.size() > MAX_URLS_PER_REQUEST) {
            throw invalid("parts", "must be an array of 1 to " + MAX_URLS_PER_REQUEST + " parts, each with partNumber and sha256");
        }
        Set<Integer> seen = new HashSet<>();
        List<RequestedPart> parts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "parts[" + i + "]";
            JsonNode part = object(array.get(i), field, "must be an object with partNumber and sha256");
            int number = partNumber(part.get("partNumber"), partCount, field + ".partNumber");
            if (!seen.add(number)) {
                throw invalid(field + ".partNumber", "repeats part " + number);
            }
            parts.add(new RequestedPart(number, sha256(part, field)));
        }
        return parts;
    }

    /** Every part from 1 to partCount exactly once, in order, each with its ETag and SHA-256. */
    static List<ClaimedPart> completeParts(JsonNode body, int partCount) {
        JsonNode array = body.get("parts");
        if (array == null || !array.isArray() || array.size() != partCount) {
            throw invalid("parts", "must list all " + partCount + " parts, each with partNumber, etag and sha256");
        }
        List<ClaimedPart> parts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "parts[" + i + "]";
            JsonNode part = object(array.get(i), field, "must be an object with partNumber, etag and sha256");
            JsonNode etag = part.get("etag");
            if (etag == null || !etag.isString() || etag.getStringValue().isBlank()) {
                throw invalid(field + ".etag", "is required: the ETag S3 returned for the part");
            }
            int number = partNumber(part.get("partNumber"), partCount, field + ".partNumber");
            if (number != i + 1) {
                throw invalid(field + ".partNumber", "must be " + (i + 1) + ": parts are listed in order, each once");
            }
            parts.add(new ClaimedPart(number, etag.getStringValue(), sha256(part, field)));
        }
        return parts;
    }

    private static JsonNode object(JsonNode node, String field, String message) {
        if (node == null || !node.isObject()) {
            throw invalid(field, message);
        }
        return node;
    }

    private static String sha256(JsonNode part, String field) {
        JsonNode sha256 = part.get("sha256");
        if (sha256 == null || !sha256.isString() || !S3Checksums.isSha256(sha256.getStringValue())) {
            throw invalid(field + ".sha256", "must be the base64 SHA-256 of the part's bytes (44 characters)");
        }
        return sha256.getStringValue();
    }

    private static int partNumber(JsonNode node, int partCount, String field) {
        return JsonFields.exactLong(node).filter(number -> number >= 1 && number <= partCount).map(Long::intValue)
                .orElseThrow(() -> invalid(field, "must be a part number from 1 to " + partCount));
    }

    static ClientErrorException invalid(String field, String message) {
        return new ClientErrorException(ClientError.InvalidFields.of(field, message));
    }

    static ClientErrorException invalid(List<FieldError> errors) {
        return new ClientErrorException(new ClientError.InvalidFields(errors));
    }
}
