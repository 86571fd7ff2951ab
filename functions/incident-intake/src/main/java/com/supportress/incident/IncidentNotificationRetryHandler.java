package com.supportress.incident;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionHandler;
import io.micronaut.context.ApplicationContext;

import java.time.Instant;

/**
 * Lambda entry point for the schedule that re-sends incident mails SES did not take the first time. A round
 * that leaves mail owed fails the invocation, so the Errors alarm tells operations that SES keeps refusing.
 */
public class IncidentNotificationRetryHandler extends FunctionHandler<ScheduledEvent, IncidentService.RetryResult> {

    public IncidentNotificationRetryHandler() {
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

    /** The round's reads, finding nothing: the pending index before the epoch, and a report that never exists. */
    @Override
    protected void prime(ApplicationContext context) {
        IncidentStore store = context.getBean(IncidentStore.class);
        store.pendingReceivedBefore(Instant.EPOCH);
        store.find("snapstart-priming");
        context.getBean(IncidentService.class);
    }
}
