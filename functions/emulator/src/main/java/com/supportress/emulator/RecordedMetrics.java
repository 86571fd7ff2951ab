package com.supportress.emulator;

import com.supportress.shared.metrics.EmbeddedMetrics;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The EMF lines one function wrote, in place of its standard output: register {@link #metrics()} as a singleton of the
 * function's context. The namespace is the one template.yaml gives the function; every line is checked against the EMF
 * specification when read ({@link EmfDocument}).
 */
public final class RecordedMetrics {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final EmbeddedMetrics metrics;

    public RecordedMetrics(EmulatedStack stack, String functionLogicalId, Clock clock) {
        this.metrics = new EmbeddedMetrics(stack.environment(functionLogicalId).require(EmbeddedMetrics.NAMESPACE_VARIABLE), lines::add, clock);
    }

    public EmbeddedMetrics metrics() {
        return metrics;
    }

    public List<EmfDocument> documents() {
        return lines.stream().map(EmfDocument::parse).toList();
    }

    /** The sum of a metric over every line that has it with these dimension values. */
    public double sum(String metric, Map<String, String> dimensions) {
        return documents().stream().mapToDouble(document -> document.value(metric, dimensions).orElse(0.0)).sum();
    }

    public void clear() {
        lines.clear();
    }
}
