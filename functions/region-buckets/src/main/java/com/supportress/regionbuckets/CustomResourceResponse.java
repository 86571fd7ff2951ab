package com.supportress.regionbuckets;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** What CloudFormation expects at the request's ResponseURL; Data holds the attributes !GetAtt reads. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomResourceResponse(
        @JsonProperty("Status") String status,
        @JsonProperty("Reason") String reason,
        @JsonProperty("PhysicalResourceId") String physicalResourceId,
        @JsonProperty("StackId") String stackId,
        @JsonProperty("RequestId") String requestId,
        @JsonProperty("LogicalResourceId") String logicalResourceId,
        @JsonProperty("Data") Map<String, String> data) {

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILED = "FAILED";

    // CloudFormation refuses response bodies over 4 KiB; the reason is the only part of unbounded length.
    static final int MAX_REASON_CHARS = 1_000;

    public CustomResourceResponse {
        data = Map.copyOf(data);
    }

    public static CustomResourceResponse success(CloudFormationCustomResourceEvent event, String physicalResourceId, Map<String, String> data) {
        return new CustomResourceResponse(SUCCESS, null, physicalResourceId,
                event.getStackId(), event.getRequestId(), event.getLogicalResourceId(), data);
    }

    /** Keeps the physical id CloudFormation knows. */
    public static CustomResourceResponse failed(CloudFormationCustomResourceEvent event, String reason) {
        String shortReason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS - 3) + "..." : reason;
        return new CustomResourceResponse(FAILED, shortReason, knownPhysicalId(event),
                event.getStackId(), event.getRequestId(), event.getLogicalResourceId(), Map.of());
    }

    /** The physical id CloudFormation already has; a Create has none yet, so it gets the logical id. */
    public static String knownPhysicalId(CloudFormationCustomResourceEvent event) {
        return event.getPhysicalResourceId() != null ? event.getPhysicalResourceId() : event.getLogicalResourceId();
    }
}
