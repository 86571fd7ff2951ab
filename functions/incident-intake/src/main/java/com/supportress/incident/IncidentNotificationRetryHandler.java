package com.supportress.incident;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda entry point for the schedule that re-sends incident mails SES did not take the first time. A round
 * that leaves mail owed fails the invocation, so the Errors alarm tells operations that SES keeps refusing.
 */
public class IncidentNotificationRetryHandler extends FunctionHandler<ScheduleEvent, IncidentService.RetryResult> {

    public IncidentNotificationRetryHandler() {
    }

    public IncidentNotificationRetryHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public IncidentService.RetryResult execute(ScheduleEvent event) {
        IncidentService.RetryResult result = getApplicationContext().getBean(IncidentService.class).retryPendingNotifications();
        if (result.stillPending() > 0) {
            throw new IllegalStateException(result.stillPending() + " of " + result.attempted() + " incident reports still await mail");
        }
        return result;
    }
}
