package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.FieldError;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: validation of POST /incidents bodies, no emulator. */
class IncidentSubmissionTest {

    @Test
    void acceptsEveryCategoryAndTheOptionalFields() {
        for (String category : IncidentSubmission.CATEGORIES) {
            Map<String, Object> body = valid();
            body.put("category", category);
            assertEquals(category, IncidentSubmission.from(node(body)).category());
        }
    }

    @Test
    void acceptsIsoDatesDateTimesAndOffsets() {
        for (String when : List.of("2026-11-24", "2026-11-24T18:30:00", "2026-11-24T18:30:00Z", "2026-11-24T18:30:00+01:00")) {
            Map<String, Object> body = valid();
            body.put("occurredAt", when);
            assertDoesNotThrow(() -> IncidentSubmission.from(node(body)), when);
        }
    }

    @Test
    void rejectsMalformedAddresses() {
        for (String address : List.of("plain", "a@b", "a@@b.com", "a b@c.com", "a@b.c", ".a@b.com", "a..b@c.com", "a@-b.com",
                "x".repeat(65) + "@example.com", "a@b.com\r\nBcc: c@d.com")) {
            Map<String, Object> body = valid();
            body.put("reporterEmail", address);
            assertEquals(Set.of("reporterEmail"), invalidFields(body), address);
        }
    }

    @Test
    void namesEveryMissingRequiredField() {
        assertEquals(Set.of("reporterEmail", "category", "summary", "description"), invalidFields(new LinkedHashMap<>()));
    }

    @Test
    void wrongJsonTypesAreNamedNotFatal() {
        Map<String, Object> body = valid();
        body.put("summary", 12);
        body.put("reporterName", List.of("a"));
        body.put("affectedAccount", Map.of("id", 1));
        assertEquals(Set.of("summary", "reporterName", "affectedAccount"), invalidFields(body));
    }

    @Test
    void lengthLimitsCountCharactersNotBytes() {
        Map<String, Object> body = valid();
        body.put("summary", "é".repeat(200));
        body.put("description", "🙂".repeat(20_000));
        assertDoesNotThrow(() -> IncidentSubmission.from(node(body)));
    }

    @Test
    void descriptionKeepsLineBreaksButNotOtherControlCharacters() {
        Map<String, Object> body = valid();
        body.put("description", "line one\r\nline two\ttabbed");
        assertDoesNotThrow(() -> IncidentSubmission.from(node(body)));
        body.put("description", "bell\u0007");
        assertEquals(Set.of("description"), invalidFields(body));
    }

    private static Map<String, Object> valid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reporterEmail", "alex@example.org");
        body.put("category", "abuse");
        body.put("summary", "Spam from a tenant");
        body.put("description", "Details");
        body.put("affectedUrl", "https://app.supportress.example/x");
        return body;
    }

    private static Set<String> invalidFields(Map<String, Object> body) {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> IncidentSubmission.from(node(body)));
        Set<String> fields = new HashSet<>();
        for (FieldError error : ((ClientError.InvalidFields) e.error()).fields()) {
            fields.add(error.field());
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode node(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> fields.put(k, node(v)));
            return JsonNode.createObjectNode(fields);
        }
        if (value instanceof List<?> list) {
            return JsonNode.createArrayNode(list.stream().map(IncidentSubmissionTest::node).toList());
        }
        if (value instanceof Number number) {
            return JsonNode.createNumberNode(number.intValue());
        }
        return JsonNode.createStringNode((String) value);
    }
}
