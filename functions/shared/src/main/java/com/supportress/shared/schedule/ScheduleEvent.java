package com.supportress.shared.schedule;

import java.util.List;

/**
 * What a schedule hands a function: EventBridge Scheduler's event (ScheduleV2, {@code "source": "aws.scheduler"}) or
 * an EventBridge rule's ({@code "aws.events"}). The two differ in {@code detail}: Scheduler sends the JSON string
 * {@code "{}"} when a schedule sets no Input, a rule sends an object. The Lambda Java runtime reads this record with
 * its own Jackson, which ignores our annotations: {@code detail} as {@code Object} takes both forms (a String or a
 * Map), where {@code ScheduledEvent}'s {@code Map} fails on Scheduler's string (aws/aws-lambda-java-libs#479).
 * {@code detail-type} is not a Java name and nothing reads it, so it is left out. The functions here take no input
 * from the event; an operator's manual {@code {}} works as well as the schedule's.
 */
public record ScheduleEvent(
        String version,
        String id,
        String source,
        String account,
        String time,
        String region,
        List<String> resources,
        Object detail) {

    /** The event id for log correlation, or "manual" for an invocation without one. */
    public String correlationId() {
        return id == null || id.isBlank() ? "manual" : id;
    }
}
