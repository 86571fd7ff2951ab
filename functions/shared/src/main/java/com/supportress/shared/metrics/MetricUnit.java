package com.supportress.shared.metrics;

/** The CloudWatch units the functions' metrics use, spelled as Embedded Metric Format expects them. */
public enum MetricUnit {
    COUNT("Count"),
    SECONDS("Seconds"),
    MILLISECONDS("Milliseconds"),
    BYTES("Bytes"),
    /** A plain number (hours since a verified backup), as its alarm reads it. */
    NONE("None");

    private final String cloudWatchName;

    MetricUnit(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    public String cloudWatchName() {
        return cloudWatchName;
    }
}
