package com.supportress.shared.log;

import com.supportress.shared.http.JsonCodec;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom CloudWatch metrics as Embedded Metric Format: one JSON line on the function's standard output, which
 * CloudWatch Logs turns into a metric, with no PutMetricData call and no IAM permission. Extra properties (an
 * incident id) stay searchable in the log line without becoming dimensions.
 */
public class EmbeddedMetrics {

    private final PrintStream out;
    private final JsonCodec json;
    private final Clock clock;

    public EmbeddedMetrics(PrintStream out, JsonCodec json, Clock clock) {
        this.out = out;
        this.json = json;
        this.clock = clock;
    }

    /** One count of {@code name} in {@code namespace}, with no dimensions. */
    public void count(String namespace, String name, Map<String, String> properties) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of(
                "Timestamp", clock.millis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace,
                        "Dimensions", List.of(List.of()),
                        "Metrics", List.of(Map.of("Name", name, "Unit", "Count"))))));
        line.put(name, 1);
        line.putAll(properties);
        out.println(json.write(line));
    }

    @Factory
    static class Beans {
        /** Standard output, where Lambda's log agent reads EMF; tests register their own stream. */
        @Singleton
        @Secondary
        EmbeddedMetrics standardOutput(JsonCodec json, Clock clock) {
            return new EmbeddedMetrics(System.out, json, clock);
        }
    }
}
