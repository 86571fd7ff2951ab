package com.supportress.shared.config;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.supportress.shared.aws.AwsCallLimits;
import io.micronaut.context.ApplicationContext;
import org.slf4j.MDC;

import java.util.Optional;

/**
 * The base of every Lambda handler here: a Micronaut context (compile-time wiring only) around a plain
 * {@link RequestHandler}. Lambda calls the no-argument constructor, which starts the context on the process
 * environment; tests and the local suite pass a context built from template.yaml's environment instead.
 * Micronaut's own function module is left out on purpose: it brings micronaut-http's beans and converters,
 * a third of the context's start-up, for nothing these functions use.
 */
public abstract class FunctionHandler<I, O> implements RequestHandler<I, O>, AutoCloseable {

    private static final String AWS_REQUEST_ID = "awsRequestId";

    private final ApplicationContext context;
    private final ThreadLocal<Context> invocation = new ThreadLocal<>();

    protected FunctionHandler() {
        this(FunctionApplication.start(FunctionEnvironment.system()));
    }

    protected FunctionHandler(ApplicationContext context) {
        this.context = context;
    }

    /** What the handler does with one event. */
    public abstract O execute(I input);

    @Override
    public final O handleRequest(I input, Context lambdaContext) {
        invocation.set(lambdaContext);
        if (lambdaContext != null) {
            MDC.put(AWS_REQUEST_ID, lambdaContext.getAwsRequestId());
        }
        try {
            return execute(input);
        } finally {
            MDC.remove(AWS_REQUEST_ID);
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

    @Override
    public void close() {
        context.close();
    }
}
