package com.supportress.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unit tier: how an API Gateway payload 2.0 event becomes a request. */
class ApiRequestTest {

    @Test
    void base64BodiesAreDecodedToTheBytesSent() {
        byte[] sent = {0, (byte) 0xff, 'a', '\n'};
        ApiRequest request = ApiRequest.from(event("/incidents", "$default", Base64.getEncoder().encodeToString(sent), true));
        assertArrayEquals(sent, request.body());
    }

    @Test
    void textBodiesAreTheirUtf8Bytes() {
        ApiRequest request = ApiRequest.from(event("/incidents", "$default", "{\"a\":\"é\"}", false));
        assertArrayEquals("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8), request.body());
    }

    @Test
    void namedStagePrefixIsRemovedFromThePath() {
        assertEquals("/incidents", ApiRequest.from(event("/prod/incidents", "prod", null, false)).path());
        assertEquals("/prod-notes", ApiRequest.from(event("/prod-notes", "prod", null, false)).path());
        assertEquals("/incidents", ApiRequest.from(event("/incidents", "$default", null, false)).path());
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        ApiRequest request = ApiRequest.from(event("/incidents", "$default", null, false));
        assertEquals("application/json", request.header("CONTENT-TYPE").orElseThrow());
    }

    private static APIGatewayV2HTTPEvent event(String rawPath, String stage, String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(rawPath)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage(stage)
                        .withRequestId("r1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withSourceIp("192.0.2.1").build())
                        .build())
                .build();
    }
}
