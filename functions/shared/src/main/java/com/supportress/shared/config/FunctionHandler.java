package com.supportress.shared.config;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.supportress.shared.aws.AwsCallLimits;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The base of every Lambda handler here: a Micronaut context (compile-time wiring only) around a plain
 * {@link RequestHandler}. Lambda calls the no-argument constructor, which starts the context on the process
 * environment; tests and the local suite pass a context built from template.yaml's environment instead.
 * Micronaut's own function module is left out on purpose: it brings micronaut-http's beans and converters,
 * a third of the context's start-up, for nothing these functions use.
 * <p>
 * Every invocation's log lines carry Lambda's request id, the X-Ray trace id, the function's name and whether it is
 * the first invocation of this execution environment ({@link LogContext}); every handler primes its hot path before a
 * SnapStart snapshot ({@link #prime}).
 */
public abstract class FunctionHandler<I, O> implements RequestHandler<I, O>, AutoCloseable {

    // Where the Java runtime puts each invocation's trace header (it cannot change _X_AMZN_TRACE_ID per invocation).
    private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final ApplicationContext context;
    private final ThreadLocal<Context> invocation = new ThreadLocal<>();
    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final String functionName;
    private final SnapStartPriming priming;

    protected FunctionHandler() {
        this(FunctionApplication.start(FunctionEnvironment.system()));
    }

    protected FunctionHandler(ApplicationContext context) {
        this.context = context;
        this.functionName = context.getBean(FunctionEnvironment.class).get("AWS_LAMBDA_FUNCTION_NAME", getClass().getSimpleName());
        // An instance restored from a snapshot starts cold again: its first invocation pays the restore.
        this.priming = SnapStartPriming.register(() -> prime(context), () -> coldStart.set(true));
    }

    /** What the handler does with one event. */
    public abstract O execute(I input);

    /**
     * Exercises the hot path before the SnapStart snapshot, so restored instances start with its classes loaded and
     * its clients connected: parsing a sample of the event, reads of keys that never exist, requests that are refused.
     * Must not write anything or send anything: it runs in every snapshot, with the function's own role.
     */
    protected abstract void prime(ApplicationContext context);

    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public final O handleRequest(I input, Context lambdaContext) {
        invocation.set(lambdaContext);
        try (LogContext ignored = LogContext.forInvocation(
                lambdaContext == null ? null : lambdaContext.getAwsRequestId(),
                traceId(lambdaContext),
                lambdaContext == null ? functionName : lambdaContext.getFunctionName(),
                coldStart.getAndSet(false))) {
            return execute(input);
        } finally {
            invocation.remove();
        }
    }

    public ApplicationContext getApplicationContext() {
        return context;
    }

    /**
     * Builds this function's AWS clients with these limits instead of the background defaults. Call it from the
     * constructor, before any bean is used: clients are built once, on first use.
     */
    protected final void limitAwsCalls(AwsCallLimits limits) {
        context.registerSingleton(AwsCallLimits.class, limits);
    }

    /** The Lambda context of the invocation under way on this thread; empty in tests that pass none. */
    protected Optional<Context> invocationContext() {
        return Optional.ofNullable(invocation.get());
    }

    /** The X-Ray trace id ({@code 1-5759e988-bd862e3fe1be46a994272793}) of this invocation, from its trace header. */
    static String traceId(Context lambdaContext) {
        String header = lambdaContext == null ? null : lambdaContext.getXrayTraceId();
        if (header == null) {
            header = System.getProperty(TRACE_HEADER_PROPERTY, System.getenv("_X_AMZN_TRACE_ID"));
        }
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return header.contains("=") ? null : header;
    }

    @Override
    public void close() {
        context.close();
    }
}
