package com.supportress.emulator;

import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.metrics.MetricUnit;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the shared EMF writer produces lines that pass AWS's EMF specification, and the check refuses ones that do not. */
class EmbeddedMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30.123Z");

    private final List<String> lines = new ArrayList<>();
    private final EmbeddedMetrics metrics = new EmbeddedMetrics("Supportress/test-stack/Billing", lines::add, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void writesOneValidEmfLineWithDimensionsMetricsAndProperties() {
        metrics.entry()
                .dimension("Provider", "stripe")
                .dimension("Outcome", "applied")
                .count("WebhookEvents")
                .value("ApplyMillis", 12.5, MetricUnit.MILLISECONDS)
                .property("eventId", "evt_1")
                .emit();

        assertEquals(1, lines.size());
        EmfDocument document = EmfDocument.parse(lines.get(0));
        assertEquals("Supportress/test-stack/Billing", document.namespace());
        assertEquals(List.of(List.of("Provider", "Outcome")), document.dimensionSets());
        assertEquals(Map.of("WebhookEvents", "Count", "ApplyMillis", "Milliseconds"), document.units());
        assertEquals(NOW.toEpochMilli(), document.root().get("_aws").get("Timestamp").asLong());
        assertEquals(1.0, document.value("WebhookEvents", Map.of("Provider", "stripe", "Outcome", "applied")).orElseThrow());
        assertTrue(document.value("WebhookEvents", Map.of("Provider", "chargebee")).isEmpty());
        assertEquals("evt_1", document.root().get("eventId").asText());
    }

    @Test
    void lineWithoutDimensionsHasOneEmptyDimensionSet() {
        metrics.count("IncidentsReceived");

        EmfDocument document = EmfDocument.parse(lines.get(0));
        assertEquals(List.of(List.of()), document.dimensionSets());
        assertEquals(1.0, document.value("IncidentsReceived", Map.of()).orElseThrow());
    }

    @Test
    void escapesDimensionValuesAndNamesBlankOnes() {
        metrics.entry().dimension("Table", "a\"b\\c\nd\u0001").dimension("Outcome", " ").count("Items").emit();

        EmfDocument document = EmfDocument.parse(lines.get(0));
        assertEquals("a\"b\\c\nd\u0001", document.root().get("Table").asText());
        assertEquals("none", document.root().get("Outcome").asText());
    }

    @Test
    void refusesWhatCloudWatchWouldDropSilently() {
        assertThrows(IllegalStateException.class, () -> new EmbeddedMetrics("has spaces", lines::add, Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> metrics.entry().count("bad name"));
        assertThrows(IllegalArgumentException.class, () -> metrics.entry().value("Lag", Double.NaN, MetricUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> metrics.entry().dimension("Items", "x").count("Items").emit());
        assertThrows(IllegalStateException.class, () -> metrics.entry().dimension("Table", "t").emit());
        assertTrue(lines.isEmpty(), "nothing half-written");
    }

    @Test
    void specificationCheckRejectsBrokenDocuments() {
        String valid = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"D\"]],"
                + "\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"Count\"}]}]},\"D\":\"d\",\"M\":1}";
        EmfDocument.parse(valid);
        for (String broken : List.of(
                valid.replace("\"Timestamp\":1", "\"Timestamp\":\"1\""),
                valid.replace(",\"D\":\"d\"", ""),
                valid.replace("\"M\":1", "\"M\":\"1\""),
                valid.replace("\"Unit\":\"Count\"", "\"Unit\":\"Things\""),
                valid.replace("\"Namespace\":\"N\"", "\"Namespace\":\"N N\""),
                valid.replace("\"CloudWatchMetrics\":[{", "\"CloudWatchMetrics\":{").replace("}]},\"D\"", "}},\"D\""),
                "not json")) {
            assertThrows(IllegalArgumentException.class, () -> EmfDocument.parse(broken), broken);
        }
    }
}
