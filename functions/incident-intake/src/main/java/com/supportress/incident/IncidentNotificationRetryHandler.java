package com.supportress.incident;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;

/**
 * Lambda entry point for the schedule that re-sends incident mails SES did not take the first time. A round
 * that leaves mail owed fails the invocation, so the Errors alarm tells operations that SES keeps refusing.
 */
public class IncidentNotificationRetryHandler extends MicronautRequestHandler<ScheduledEvent, IncidentService.RetryResult> {

    public IncidentNotificationRetryHandler() {
        super(FunctionApplication.builder(FunctionEnvironment.system()));
    }

    public IncidentNotificationRetryHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public IncidentService.RetryResult execute(ScheduledEvent event) {
        IncidentService.RetryResult result = getApplicationContext().getBean(IncidentService.class).retryPendingNotifications();
        if (result.stillPending() > 0) {
            throw new IllegalStateException(result.stillPending() + " of " + result.attempted() + " incident reports still await mail");
        }
        return result;
    }
}
