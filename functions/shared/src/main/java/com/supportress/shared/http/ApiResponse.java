package com.supportress.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it becomes API Gateway's payload: status, headers and a text body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static final String JSON = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, String json) {
        return new ApiResponse(status, Map.of("content-type", JSON), json);
    }

    /** An RFC 9457 problem detail as the response, with its status. */
    public static ApiResponse problem(ProblemDetails problem, String json) {
        return new ApiResponse(problem.status(), Map.of("content-type", ProblemDetails.MEDIA_TYPE), json);
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, Map.of("content-type", "text/plain; charset=utf-8"), text);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new ApiResponse(status, merged, body);
    }

    public APIGatewayV2HTTPResponse toEvent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
