package com.supportress.upload.ingest;

import java.time.Instant;

/**
 * CloudWatch Embedded Metric Format: one JSON line on stdout that CloudWatch Logs turns into the metrics
 * OldestUnreplicatedSeconds and LaggingObjects, with no PutMetricData call and no extra permission.
 */
final class ReplicationLagMetric {

    private ReplicationLagMetric() {
    }

    static String emf(String namespace, Instant at, int lagging, long oldestLagSeconds) {
        return "{\"_aws\":{\"Timestamp\":" + at.toEpochMilli() + ",\"CloudWatchMetrics\":[{\"Namespace\":\"" + namespace
                + "\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"OldestUnreplicatedSeconds\",\"Unit\":\"Seconds\"},"
                + "{\"Name\":\"LaggingObjects\",\"Unit\":\"Count\"}]}]},"
                + "\"OldestUnreplicatedSeconds\":" + oldestLagSeconds + ",\"LaggingObjects\":" + lagging + "}";
    }
}
