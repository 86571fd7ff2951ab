package com.supportress.shared.http;

import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: every error of every route leaves the shared adapter as an RFC 9457 problem detail. */
class HttpFunctionHandlerTest {

    private static final TestHandler HANDLER = new TestHandler(FunctionApplication.start(FunctionEnvironment.of(Map.of())));
    private static final JsonCodec JSON = HANDLER.getApplicationContext().getBean(JsonCodec.class);

    @AfterAll
    static void close() {
        HANDLER.close();
    }

    @Test
    void invalidFieldsBecomeAProblemNamingEveryField() {
        ApiResponse response = HANDLER.handle(request("POST", "/invalid"));
        JsonNode problem = problem(response, 400);
        assertEquals(ProblemDetails.TYPE_BASE + "invalid-fields", problem.get("type").getStringValue());
        assertEquals("Invalid request fields", problem.get("title").getStringValue());
        assertEquals("summary", problem.get("fields").get(0).get("field").getStringValue());
        assertEquals("description", problem.get("fields").get(1).get("field").getStringValue());
        assertEquals("r-1", problem.get("requestId").getStringValue());
    }

    @Test
    void statusSpecificHeadersStayBesideTheProblem() {
        ApiResponse response = HANDLER.handle(request("DELETE", "/invalid"));
        problem(response, 405);
        assertEquals("POST", response.headers().get("allow"));
    }

    @Test
    void aServerFaultIsA500ProblemThatTellsNothingButTheRequestId() {
        JsonNode problem = problem(HANDLER.handle(request("GET", "/fault")), 500);
        assertEquals(ProblemDetails.TYPE_BASE + "internal-error", problem.get("type").getStringValue());
        assertFalse(problem.get("detail").getStringValue().contains("secret"));
        assertEquals("r-1", problem.get("requestId").getStringValue());
    }

    private static JsonNode problem(ApiResponse response, int status) {
        assertEquals(status, response.status());
        assertEquals("application/problem+json", response.headers().get("content-type"));
        JsonNode problem = JSON.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(status, problem.get("status").getIntValue());
        assertTrue(problem.get("detail").isString() && problem.get("title").isString());
        return problem;
    }

    private static ApiRequest request(String method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), Map.of(), new byte[0], "192.0.2.1", "r-1", "localhost");
    }

    private static final class TestHandler extends HttpFunctionHandler {
        TestHandler(ApplicationContext context) {
            super(context);
        }

        @Override
        protected Routes routes(ApplicationContext context) {
            return new Routes()
                    .on("POST", "/invalid", request -> {
                        throw new ClientErrorException(new ClientError.InvalidFields(List.of(
                                new FieldError("summary", "is required"), new FieldError("description", "is required"))));
                    })
                    .on("GET", "/fault", request -> {
                        throw new IllegalStateException("secret detail of a server fault");
                    });
        }

        @Override
        protected void prime(ApplicationContext context) {
        }
    }
}
