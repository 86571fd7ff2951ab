package com.supportress.shared.log;

import org.slf4j.MDC;

/**
 * The correlation fields on every JSON log line of one invocation: the request id and the domain id
 * (incident, upload, event) once known; Micronaut adds the function's name and version from the Lambda
 * context. Never put bodies, secrets or addresses here.
 */
public final class LogContext implements AutoCloseable {

    private LogContext() {
    }

    public static LogContext forRequest(String requestId) {
        MDC.put("requestId", requestId);
        return new LogContext();
    }

    /** Adds a domain id, such as {@code incidentId}, to the lines that follow in this invocation. */
    public static void put(String key, String value) {
        MDC.put(key, value);
    }

    @Override
    public void close() {
        MDC.clear();
    }
}
