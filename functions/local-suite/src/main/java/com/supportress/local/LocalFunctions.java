package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Instantiates a function's real Lambda handler in the emulated stack, the way Lambda would, and invokes it. */
final class LocalFunctions implements AutoCloseable {

    private final EmulatedStack stack;
    private final Map<String, Map<String, String>> environmentOverrides;
    private final List<AutoCloseable> started = new ArrayList<>();

    LocalFunctions(EmulatedStack stack) {
        this(stack, Map.of());
    }

    /** With some functions' environment variables changed from the template's (a test's smaller parts, say). */
    LocalFunctions(EmulatedStack stack, Map<String, Map<String, String>> environmentOverrides) {
        this.stack = stack;
        this.environmentOverrides = Map.copyOf(environmentOverrides);
    }

    /** A started handler: its constructor taking an ApplicationContext, given the function's template environment. */
    @SuppressWarnings("unchecked")
    synchronized RequestHandler<Object, Object> handler(LocalFunction function) {
        try {
            Class<?> type = Class.forName(function.handlerClass());
            Map<String, String> variables = new HashMap<>(stack.environment(function.logicalId()).variables());
            variables.putAll(environmentOverrides.getOrDefault(function.logicalId(), Map.of()));
            ApplicationContext context = FunctionApplication.start(FunctionEnvironment.of(variables));
            Object handler = type.getConstructor(ApplicationContext.class).newInstance(context);
            if (handler instanceof AutoCloseable closeable) {
                started.add(closeable);
            }
            return (RequestHandler<Object, Object>) handler;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start " + function.logicalId() + " (" + function.handlerClass()
                    + "); is its module a dependency of local-suite?", e);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }
}
