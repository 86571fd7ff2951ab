package com.supportress.shared.log;

import org.slf4j.MDC;

import java.util.Map;

/**
 * The correlation fields on every JSON log line (the {@code mdc} object). An invocation opens with Lambda's request
 * id, the X-Ray trace id, the function's name and whether this is the environment's first invocation; a request or a
 * record of a batch adds its own id and domain ids (incident, upload, event) on top, and closing it takes back only
 * what it added, so the next record of the batch still carries the invocation's fields. Never put bodies, secrets or
 * addresses here.
 */
public final class LogContext implements AutoCloseable {

    public static final String AWS_REQUEST_ID = "awsRequestId";
    public static final String TRACE_ID = "traceId";
    public static final String FUNCTION_NAME = "functionName";
    public static final String COLD_START = "coldStart";
    public static final String REQUEST_ID = "requestId";

    /** What the lines had before this scope opened; null when nothing (the invocation's own scope). */
    private final Map<String, String> outer;

    private LogContext(Map<String, String> outer) {
        this.outer = outer;
    }

    /** The invocation's scope: closing it leaves nothing behind for the next invocation. */
    public static LogContext forInvocation(String awsRequestId, String traceId, String functionName, boolean coldStart) {
        MDC.clear();
        putIfPresent(AWS_REQUEST_ID, awsRequestId);
        putIfPresent(TRACE_ID, traceId);
        putIfPresent(FUNCTION_NAME, functionName);
        MDC.put(COLD_START, Boolean.toString(coldStart));
        return new LogContext(null);
    }

    /** One request or one record of a batch, inside the invocation's scope. */
    public static LogContext forRequest(String requestId) {
        LogContext scope = new LogContext(MDC.getCopyOfContextMap());
        MDC.put(REQUEST_ID, requestId);
        return scope;
    }

    /** Adds a domain id, such as {@code incidentId}, to the lines that follow in this scope. */
    public static void put(String key, String value) {
        MDC.put(key, value);
    }

    private static void putIfPresent(String key, String value) {
        if (value != null && !value.isBlank()) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        if (outer == null || outer.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(outer);
        }
    }
}
