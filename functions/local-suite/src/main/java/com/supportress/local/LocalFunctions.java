package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import io.micronaut.context.ApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** Instantiates a function's real Lambda handler in the emulated stack, the way Lambda would, and invokes it. */
final class LocalFunctions implements AutoCloseable {

    private final EmulatedStack stack;
    private final List<AutoCloseable> started = new ArrayList<>();

    LocalFunctions(EmulatedStack stack) {
        this.stack = stack;
    }

    /** A started handler: its constructor taking an ApplicationContext, given the function's template environment. */
    @SuppressWarnings("unchecked")
    synchronized RequestHandler<Object, Object> handler(LocalFunction function) {
        try {
            Class<?> type = Class.forName(function.handlerClass());
            ApplicationContext context = stack.start(function.logicalId());
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
