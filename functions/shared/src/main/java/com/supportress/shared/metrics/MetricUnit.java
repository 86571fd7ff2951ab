package com.supportress.shared.metrics;

/** The CloudWatch units the functions' metrics use, spelled as Embedded Metric Format expects them. */
public enum MetricUnit {
    COUNT("Count"),
    SECONDS("Seconds"),
    MILLISECONDS("Milliseconds"),
    BYTES("Bytes");

    private final String cloudWatchName;

    MetricUnit(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    public String cloudWatchName() {
        return cloudWatchName;
    }
}
