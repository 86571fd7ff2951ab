package com.supportress.upload.api;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.FieldError;
import com.supportress.shared.http.JsonFields;
import io.micronaut.json.tree.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The arrays in the bodies of POST /uploads/{id}/parts and POST /uploads/{id}/complete, validated. */
final class PartSelection {

    /** At most this many URLs per request: enough for a browser's parallel window, small enough to answer fast. */
    static final int MAX_URLS_PER_REQUEST = 100;

    /** A part as the client says it uploaded it. */
    record ClaimedPart(int partNumber, String etag) {
    }

    private PartSelection() {
    }

    static List<Integer> partNumbers(JsonNode body, int partCount) {
        JsonNode array = body.get("partNumbers");
        if (array == null || !array.isArray() || array.size() == 0 || array.size() > MAX_URLS_PER_REQUEST) {
            throw invalid("partNumbers", "must be an array of 1 to " + MAX_URLS_PER_REQUEST + " part numbers");
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            int number = partNumber(array.get(i), partCount, "partNumbers[" + i + "]");
            if (!numbers.add(number)) {
                throw invalid("partNumbers[" + i + "]", "repeats part " + number);
            }
        }
        return List.copyOf(numbers);
    }

    /** Every part from 1 to partCount exactly once, in order, each with its ETag. */
    static List<ClaimedPart> completeParts(JsonNode body, int partCount) {
        JsonNode array = body.get("parts");
        if (array == null || !array.isArray() || array.size() != partCount) {
            throw invalid("parts", "must list all " + partCount + " parts, each with partNumber and etag");
        }
        List<ClaimedPart> parts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode part = array.get(i);
            String field = "parts[" + i + "]";
            if (!part.isObject() || part.get("etag") == null || !part.get("etag").isString() || part.get("etag").getStringValue().isBlank()) {
                throw invalid(field, "must be an object with partNumber and etag");
            }
            int number = partNumber(part.get("partNumber"), partCount, field + ".partNumber");
            if (number != i + 1) {
                throw invalid(field + ".partNumber", "must be " + (i + 1) + ": parts are listed in order, each once");
            }
            parts.add(new ClaimedPart(number, part.get("etag").getStringValue()));
        }
        return parts;
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
