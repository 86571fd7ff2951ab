package com.supportress.shared.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;

/** Builds the Micronaut context of a function around its environment: the one way every handler starts. */
public final class FunctionApplication {

    private FunctionApplication() {
    }

    public static ApplicationContextBuilder builder(FunctionEnvironment environment) {
        // Compile-time wiring only: no classpath scanning, no banner, no deduction of cloud environments at start.
        return ApplicationContext.builder()
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .banner(false)
                .singletons(environment);
    }

    public static ApplicationContext start(FunctionEnvironment environment) {
        return builder(environment).start();
    }
}
