package com.supportress.shared.log;

import org.slf4j.MDC;

/**
 * The correlation fields on every JSON log line of one invocation: the function, the request id and
 * the domain id (incident, upload, event) once known. Never put bodies, secrets or addresses here.
 */
public final class LogContext implements AutoCloseable {

    private static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");

    private LogContext() {
    }

    public static LogContext forRequest(String requestId) {
        MDC.put("function", FUNCTION);
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
