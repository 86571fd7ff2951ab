package com.supportress.regionbuckets;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.http.JsonCodec;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the response body CloudFormation accepts; no emulator. */
class CustomResourceResponseTest {

    // CloudFormation rejects a response body over 4096 bytes, and the stack then waits for an answer.
    private static final int MAX_BODY_BYTES = 4096;

    private final CloudFormationCustomResourceEvent create = CloudFormationCustomResourceEvent.builder()
            .withRequestType("Create")
            .withStackId("arn:aws:cloudformation:us-east-1:123456789012:stack/" + "s".repeat(128) + "/3f9c1e20-c9a4-11f0-8d3e-0a1b2c3d4e5f")
            .withRequestId("7d2e4a10-5b6c-4d8e-9f01-23456789abcd")
            .withLogicalResourceId("SecondaryRegionBuckets")
            .build();

    @Test
    void failureWithAHugeReasonStillFitsCloudFormationsLimit() {
        try (ApplicationContext context = FunctionApplication.start(FunctionEnvironment.of(Map.of()))) {
            CustomResourceResponse failed = CustomResourceResponse.failed(create, "x".repeat(100_000));

            String body = context.getBean(JsonCodec.class).write(failed);

            assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= MAX_BODY_BYTES, body.length() + " bytes");
            assertTrue(body.contains("\"Status\":\"FAILED\""), body);
            assertTrue(failed.reason().endsWith("..."), "a cut reason says so");
        }
    }

    @Test
    void failedCreateGetsTheLogicalIdAsPhysicalIdAndFailedUpdateKeepsItsOwn() {
        assertEquals("SecondaryRegionBuckets", CustomResourceResponse.failed(create, "no").physicalResourceId());

        create.setRequestType("Update");
        create.setPhysicalResourceId("us-west-2/supportress-dev-123456789012");
        assertEquals("us-west-2/supportress-dev-123456789012", CustomResourceResponse.failed(create, "no").physicalResourceId());
    }
}
