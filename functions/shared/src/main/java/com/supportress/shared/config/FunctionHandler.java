package com.supportress.shared.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/**
 * The base of every Lambda handler here. Lambda calls the no-argument constructor, which starts the
 * Micronaut context on the process environment; tests and the local suite pass a context built from
 * template.yaml's environment for the function instead.
 */
public abstract class FunctionHandler<I, O> extends MicronautRequestHandler<I, O> {

    protected FunctionHandler() {
        super(FunctionApplication.builder(FunctionEnvironment.system()));
    }

    protected FunctionHandler(ApplicationContext context) {
        super(context);
    }
}
