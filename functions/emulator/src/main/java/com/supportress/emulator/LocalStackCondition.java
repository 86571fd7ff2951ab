package com.supportress.emulator;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Under {@code -Plocalstack} where no Docker is reachable, skips the classes tagged {@code emulator} with the reason,
 * before any of their set-up runs. Found through JUnit's extension autodetection, which only that profile switches on.
 */
public final class LocalStackCondition implements ExecutionCondition {

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!LocalStackEmulator.requested() || !context.getTags().contains("emulator")) {
            return ConditionEvaluationResult.enabled("runs on the configured emulator");
        }
        if (LocalStackEmulator.dockerAvailable()) {
            return ConditionEvaluationResult.enabled("Docker is reachable");
        }
        if (!TOLD.getAndSet(true)) {
            System.err.println(LocalStackEmulator.NO_DOCKER);
        }
        return ConditionEvaluationResult.disabled(LocalStackEmulator.NO_DOCKER);
    }
}
