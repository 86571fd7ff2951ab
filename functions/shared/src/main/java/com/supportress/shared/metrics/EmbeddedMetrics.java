package com.supportress.shared.metrics;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Business metrics as CloudWatch Embedded Metric Format: each {@link Entry} is one JSON line on standard output, which
 * CloudWatch Logs turns into metrics in the function's namespace ({@code METRICS_NAMESPACE}, set by template.yaml, which
 * the dashboard and the alarms read too). No PutMetricData call on any request path and no IAM permission; properties
 * (an incident id) stay searchable in the line without becoming dimensions, so they cost no metric.
 * <p>
 * Written by hand rather than through Powertools' metrics module: that brings jackson-databind, commons-lang3 and
 * aws-embedded-metrics to every function for the same few lines, and raised the cold-start ratio by 0.15 to 0.23
 * (README, Observability).
 */
public final class EmbeddedMetrics {

    public static final String NAMESPACE_VARIABLE = "METRICS_NAMESPACE";

    // CloudWatch: namespaces of letters, digits and . - _ / # : (at most 255); names of up to 255 characters.
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._/#:-]{1,255}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,254}");
    // EMF: a dimension value is a non-empty string of at most 1024 characters.
    private static final int MAX_DIMENSION_VALUE = 1024;
    // EMF: at most 30 dimensions in a set, at most 100 metrics in a directive.
    private static final int MAX_DIMENSIONS = 30;
    private static final int MAX_METRICS = 100;

    private final String namespace;
    private final Consumer<String> output;
    private final Clock clock;

    public EmbeddedMetrics(String namespace, Consumer<String> output, Clock clock) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalStateException(NAMESPACE_VARIABLE + " has characters CloudWatch does not allow: " + namespace);
        }
        this.namespace = namespace;
        this.output = output;
        this.clock = clock;
    }

    public String namespace() {
        return namespace;
    }

    /** A new line of metrics sharing one set of dimensions; nothing is written until {@link Entry#emit()}. */
    public Entry entry() {
        return new Entry();
    }

    /** Shorthand for one count with the given dimensions (name, value, name, value...). */
    public void count(String metric, String... dimensions) {
        if (dimensions.length % 2 != 0) {
            throw new IllegalArgumentException("dimensions come in name, value pairs");
        }
        Entry entry = entry();
        for (int i = 0; i < dimensions.length; i += 2) {
            entry.dimension(dimensions[i], dimensions[i + 1]);
        }
        entry.count(metric).emit();
    }

    /** One EMF document: dimensions, metric values and plain properties. Not shared between threads. */
    public final class Entry {

        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final Map<String, Number> values = new LinkedHashMap<>();
        private final Map<String, MetricUnit> units = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Entry() {
        }

        /** A dimension of every metric in this entry; a blank value becomes {@code none}, a long one is cut. */
        public Entry dimension(String name, String value) {
            requireName(name);
            if (dimensions.size() == MAX_DIMENSIONS && !dimensions.containsKey(name)) {
                throw new IllegalArgumentException("EMF allows at most " + MAX_DIMENSIONS + " dimensions");
            }
            String text = value == null || value.isBlank() ? "none" : value.strip();
            dimensions.put(name, text.length() > MAX_DIMENSION_VALUE ? text.substring(0, MAX_DIMENSION_VALUE) : text);
            return this;
        }

        public Entry count(String name) {
            return value(name, 1, MetricUnit.COUNT);
        }

        public Entry value(String name, long value, MetricUnit unit) {
            return put(name, value, unit);
        }

        public Entry value(String name, double value, MetricUnit unit) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " is not a finite number: " + value);
            }
            return put(name, value, unit);
        }

        /** A searchable field of the line that is not a dimension (an id); never a body, a secret or an address. */
        public Entry property(String name, String value) {
            requireName(name);
            properties.put(name, value);
            return this;
        }

        private Entry put(String name, Number value, MetricUnit unit) {
            requireName(name);
            if (values.size() == MAX_METRICS && !values.containsKey(name)) {
                throw new IllegalArgumentException("EMF allows at most " + MAX_METRICS + " metrics in a line");
            }
            values.put(name, value);
            units.put(name, unit);
            return this;
        }

        /** Writes the line. A name used twice (as dimension, metric or property) would be ambiguous, so it is refused. */
        public void emit() {
            if (values.isEmpty()) {
                throw new IllegalStateException("an EMF line needs at least one metric");
            }
            StringBuilder json = new StringBuilder(256)
                    .append("{\"_aws\":{\"Timestamp\":").append(clock.millis())
                    .append(",\"CloudWatchMetrics\":[{\"Namespace\":");
            string(json, namespace).append(",\"Dimensions\":[[");
            String separator = "";
            for (String dimension : dimensions.keySet()) {
                string(json.append(separator), dimension);
                separator = ",";
            }
            json.append("]],\"Metrics\":[");
            separator = "";
            for (Map.Entry<String, MetricUnit> metric : units.entrySet()) {
                string(json.append(separator).append("{\"Name\":"), metric.getKey())
                        .append(",\"Unit\":\"").append(metric.getValue().cloudWatchName()).append("\"}");
                separator = ",";
            }
            json.append("]}]}");
            Set<String> members = new HashSet<>();
            dimensions.forEach((name, value) -> string(member(json, members, name), value));
            values.forEach((name, value) -> member(json, members, name).append(value));
            properties.forEach((name, value) -> string(member(json, members, name), value));
            output.accept(json.append('}').toString());
        }
    }

    private static StringBuilder member(StringBuilder json, Set<String> members, String name) {
        if (!members.add(name)) {
            throw new IllegalArgumentException(name + " is used twice in one EMF line");
        }
        return string(json.append(','), name).append(':');
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric, dimension or property name: " + name);
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259, section 7). */
    private static StringBuilder string(StringBuilder json, String value) {
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    @Factory
    static class Beans {

        /** Standard output, where Lambda's log agent reads EMF; tests register an {@link EmbeddedMetrics} of their own. */
        @Singleton
        @Secondary
        EmbeddedMetrics standardOutput(FunctionEnvironment environment, Clock clock) {
            return new EmbeddedMetrics(environment.require(NAMESPACE_VARIABLE), System.out::println, clock);
        }
    }
}
