package com.supportress.upload.store;

import com.supportress.shared.metrics.EmbeddedMetrics;
import jakarta.inject.Singleton;

/**
 * Business metric (EMF, namespace METRICS_NAMESPACE): uploads by the final status they reached (replicated,
 * quarantined or failed), whichever function set it. Counted by the caller whose conditional write changed the
 * status ({@link UploadStore}'s {@code mark...} returned true), so a repeated event, a retry or a race counts once.
 */
@Singleton
public class FinalStatusMetric {

    public static final String METRIC = "UploadsFinished";
    public static final String STATUS_DIMENSION = "Status";

    private final EmbeddedMetrics metrics;

    public FinalStatusMetric(EmbeddedMetrics metrics) {
        this.metrics = metrics;
    }

    public void reached(String uploadId, UploadStatus status) {
        if (status.awaitsReplication()) {
            throw new IllegalArgumentException(status + " is not a final status");
        }
        metrics.entry().dimension(STATUS_DIMENSION, status.wireName()).count(METRIC).property("uploadId", uploadId).emit();
    }
}
