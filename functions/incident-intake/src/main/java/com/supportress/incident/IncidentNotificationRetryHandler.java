package com.supportress.incident;

import com.supportress.shared.aws.AwsCallLimits;
import com.supportress.shared.config.Deadline;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

import java.time.Duration;

/**
 * Lambda entry point for the schedule that re-sends incident mails SES did not take the first time. A round ends
 * before the function's timeout and never fails for a mail SES refuses: such a report is retried a bounded number of
 * times, then marked notification_failed and counted once in the metric that alarms. Only a failure to read the
 * reports fails the invocation.
 */
public class IncidentNotificationRetryHandler extends FunctionHandler<ScheduleEvent, IncidentService.RetryResult> {

    // Left of the function's Timeout for ending the round: the last calls, the result, a margin.
    static final Duration END_RESERVE = Duration.ofSeconds(5);
    // Without a Lambda context (tests, local runs): the template's Timeout of 30 s.
    static final Duration DEFAULT_RUN = Duration.ofSeconds(30);

    public IncidentNotificationRetryHandler() {
        // Its calls are as small as the request path's; short limits keep a stalled SES from eating the whole run.
        limitAwsCalls(AwsCallLimits.REQUEST_PATH);
    }

    public IncidentNotificationRetryHandler(ApplicationContext context) {
        super(context);
        limitAwsCalls(AwsCallLimits.REQUEST_PATH);
    }

    @Override
    public IncidentService.RetryResult execute(ScheduleEvent event) {
        Duration run = invocationContext().map(lambda -> Duration.ofMillis(lambda.getRemainingTimeInMillis())).orElse(DEFAULT_RUN);
        return getApplicationContext().getBean(IncidentService.class).retryPendingNotifications(Deadline.after(run.minus(END_RESERVE)));
    }
}
