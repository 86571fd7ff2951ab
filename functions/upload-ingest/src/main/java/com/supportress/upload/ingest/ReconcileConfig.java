package com.supportress.upload.ingest;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Duration;

/** What UploadReconcileFunction reads from its environment (names as template.yaml sets them). */
public record ReconcileConfig(String uploadBucket, String queueUrl, Duration maxLag) {

    /** The promise: an object waits at most this long for its verified replica, or the alarm fires. */
    static final Duration MAX_LAG = Duration.ofMinutes(15);

    public static ReconcileConfig from(FunctionEnvironment env) {
        return new ReconcileConfig(env.require("UPLOAD_BUCKET"), env.require("UPLOAD_EVENTS_QUEUE_URL"), MAX_LAG);
    }

    @Factory
    static class Beans {
        @Singleton
        ReconcileConfig reconcileConfig(FunctionEnvironment environment) {
            return ReconcileConfig.from(environment);
        }
    }
}
