package com.supportress.regionbuckets;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.log.LogContext;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Lambda entry point for the custom resource Custom::SecondaryRegionBuckets. Create and Update create or
 * reconfigure the buckets; Delete keeps them (they hold replicas and backups). Whatever happens, the
 * outcome is sent to CloudFormation, which otherwise waits an hour for an answer.
 */
public class RegionBucketsHandler extends FunctionHandler<CloudFormationCustomResourceEvent, CustomResourceResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(RegionBucketsHandler.class);

    /** Kept free of the invocation's remaining time, to send the answer even when the buckets' setup overruns. */
    static final Duration ANSWER_RESERVE = Duration.ofSeconds(15);
    /** Without a Lambda context (local runs, tests) the budget is the template's Timeout less the reserve. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(120).minus(ANSWER_RESERVE);

    private final RegionBucketsService buckets;
    private final CloudFormationResponder responder;

    public RegionBucketsHandler() {
        // Built at init, so SnapStart's snapshot holds them ready.
        this.buckets = getApplicationContext().getBean(RegionBucketsService.class);
        this.responder = getApplicationContext().getBean(CloudFormationResponder.class);
    }

    public RegionBucketsHandler(ApplicationContext context) {
        super(context);
        this.buckets = context.getBean(RegionBucketsService.class);
        this.responder = context.getBean(CloudFormationResponder.class);
    }

    @Override
    public CustomResourceResponse execute(CloudFormationCustomResourceEvent event) {
        try (LogContext ignored = LogContext.forRequest(event.getRequestId())) {
            CustomResourceResponse response = outcome(event);
            LOG.info("{} {}: {} {}", event.getRequestType(), event.getLogicalResourceId(), response.status(), response.physicalResourceId());
            responder.send(URI.create(event.getResponseUrl()), response);
            return response;
        }
    }

    /**
     * Reading and refusing a request (invalid properties), without calling S3 or CloudFormation: this function runs
     * on a stack's create, update and delete, and any bucket call would act on the second region.
     */
    @Override
    protected void prime(ApplicationContext context) {
        try {
            RegionBucketsRequest.from("arn:aws:cloudformation:us-east-1:123456789012:stack/priming/0", Map.of());
        } catch (InvalidPropertiesException expected) {
            // the refusal is the path being primed
        }
    }

    private Duration workBudget() {
        return invocationContext()
                .map(invocation -> Duration.ofMillis(invocation.getRemainingTimeInMillis()).minus(ANSWER_RESERVE))
                .orElse(DEFAULT_BUDGET);
    }

    private CustomResourceResponse outcome(CloudFormationCustomResourceEvent event) {
        try {
            return switch (String.valueOf(event.getRequestType())) {
                case "Create", "Update" -> {
                    RegionBucketsRequest request = RegionBucketsRequest.from(event.getStackId(), event.getResourceProperties());
                    Map<String, String> attributes = TimeBox.run(() -> buckets.createOrUpdate(request), workBudget());
                    yield CustomResourceResponse.success(event, request.physicalResourceId(), attributes);
                }
                // Never fails, not even on invalid properties: a rollback after a failed Create must be able to finish.
                case "Delete" -> CustomResourceResponse.success(event, CustomResourceResponse.knownPhysicalId(event), Map.of());
                default -> CustomResourceResponse.failed(event, "unknown RequestType " + event.getRequestType());
            };
        } catch (InvalidPropertiesException e) {
            LOG.info("{} refused: {}", event.getRequestType(), e.getMessage());
            return CustomResourceResponse.failed(event, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed", event.getRequestType(), e);
            return CustomResourceResponse.failed(event, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }
}
