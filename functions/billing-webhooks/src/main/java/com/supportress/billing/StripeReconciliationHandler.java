package com.supportress.billing;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

/** Lambda entry point for the schedule that applies Stripe events whose webhook we missed. */
public class StripeReconciliationHandler extends FunctionHandler<ScheduleEvent, StripeReconciler.Result> {

    public StripeReconciliationHandler() {
    }

    public StripeReconciliationHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public StripeReconciler.Result execute(ScheduleEvent event) {
        return getApplicationContext().getBean(StripeReconciler.class).run();
    }
}
