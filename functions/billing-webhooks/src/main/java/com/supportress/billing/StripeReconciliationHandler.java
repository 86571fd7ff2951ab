package com.supportress.billing;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/** Lambda entry point for the schedule that applies Stripe events whose webhook we missed. */
public class StripeReconciliationHandler extends MicronautRequestHandler<ScheduledEvent, StripeReconciler.Result> {

    public StripeReconciliationHandler() {
        super(FunctionApplication.builder(FunctionEnvironment.system()));
    }

    public StripeReconciliationHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public StripeReconciler.Result execute(ScheduledEvent event) {
        return getApplicationContext().getBean(StripeReconciler.class).run();
    }
}
