package com.supportress.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One CloudWatch Embedded Metric Format line, checked against AWS's specification (CloudWatch User Guide,
 * "Specification: Embedded metric format"): a root object whose {@code _aws} member has an integer {@code Timestamp}
 * (epoch milliseconds) and a non-empty {@code CloudWatchMetrics} array of directives, each with a {@code Namespace},
 * {@code Dimensions} (an array of dimension sets, at most 30 names each, every name a string member of the root) and
 * {@code Metrics} (at most 100, each a {@code Name} that is a number or an array of at most 100 numbers at the root,
 * with an optional CloudWatch {@code Unit} and {@code StorageResolution} 1 or 60). CloudWatch drops a line that breaks
 * any of these, silently, so the tests read every line through this check.
 */
public record EmfDocument(JsonNode root, String namespace, List<List<String>> dimensionSets, Map<String, String> units) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    /** Parses and checks one line; throws {@link IllegalArgumentException} naming the first rule it breaks. */
    public static EmfDocument parse(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + line, e);
        }
        require(root != null && root.isObject(), "the line is not a JSON object", line);
        JsonNode aws = root.get("_aws");
        require(aws != null && aws.isObject(), "no _aws object", line);
        require(aws.path("Timestamp").isIntegralNumber() && aws.get("Timestamp").asLong() > 0, "_aws.Timestamp is not epoch milliseconds", line);
        JsonNode directives = aws.get("CloudWatchMetrics");
        require(directives != null && directives.isArray() && !directives.isEmpty(), "_aws.CloudWatchMetrics is not a non-empty array", line);
        require(directives.size() == 1, "these functions write one directive a line", line);
        JsonNode directive = directives.get(0);
        require(directive.path("Namespace").isTextual() && directive.get("Namespace").asText().matches("[A-Za-z0-9._/#:-]{1,255}"),
                "Namespace is missing or has characters CloudWatch does not allow", line);
        JsonNode dimensions = directive.get("Dimensions");
        require(dimensions != null && dimensions.isArray(), "Dimensions is not an array", line);
        List<List<String>> sets = new ArrayList<>();
        for (JsonNode set : dimensions) {
            require(set.isArray() && set.size() <= 30, "a dimension set is not an array of at most 30 names", line);
            List<String> names = new ArrayList<>();
            for (JsonNode name : set) {
                require(name.isTextual(), "a dimension name is not a string", line);
                JsonNode value = root.get(name.asText());
                require(value != null && value.isTextual() && !value.asText().isEmpty() && value.asText().length() <= 1024,
                        "dimension " + name.asText() + " has no string value of 1 to 1024 characters at the root", line);
                names.add(name.asText());
            }
            sets.add(List.copyOf(names));
        }
        JsonNode metrics = directive.get("Metrics");
        require(metrics != null && metrics.isArray() && !metrics.isEmpty() && metrics.size() <= 100, "Metrics is not an array of 1 to 100", line);
        Map<String, String> units = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode metric : metrics) {
            String name = metric.path("Name").asText("");
            require(!name.isEmpty() && seen.add(name), "a metric has no Name, or one used twice", line);
            JsonNode value = root.get(name);
            require(value != null && (value.isNumber() || value.isArray() && value.size() <= 100 && allNumbers(value)),
                    "metric " + name + " has no numeric value at the root", line);
            String unit = metric.path("Unit").asText("None");
            require(UNITS.contains(unit), "metric " + name + " has an invalid Unit " + unit, line);
            JsonNode resolution = metric.get("StorageResolution");
            require(resolution == null || resolution.asInt() == 1 || resolution.asInt() == 60, "StorageResolution must be 1 or 60", line);
            units.put(name, unit);
        }
        return new EmfDocument(root, directive.get("Namespace").asText(), List.copyOf(sets), Map.copyOf(units));
    }

    /** The metric's value in this line, when it has the metric and every given dimension with that value. */
    public Optional<Double> value(String metric, Map<String, String> dimensions) {
        if (!units.containsKey(metric)) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
            if (!dimension.getValue().equals(root.path(dimension.getKey()).asText(null))) {
                return Optional.empty();
            }
        }
        JsonNode value = root.get(metric);
        double total = 0;
        for (JsonNode number : value.isArray() ? value : JSON.createArrayNode().add(value)) {
            total += number.asDouble();
        }
        return Optional.of(total);
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean rule, String message, String line) {
        if (!rule) {
            throw new IllegalArgumentException("invalid EMF (" + message + "): " + line);
        }
    }
}
