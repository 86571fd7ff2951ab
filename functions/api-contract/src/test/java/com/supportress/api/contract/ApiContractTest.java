package com.supportress.api.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier, no emulator: the checks against openapi.yaml catch what they must, and pass what the functions send. */
class ApiContractTest {

    private static final ApiContract CONTRACT = ApiContract.get();
    private static final Map<String, String> API_HEADERS = Map.of(
            "Content-Type", "application/json",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    private static final String RECEIPT = "{\"id\":\"inc_abcdefghijklmnopqrstuvwxyz234567\",\"status\":\"received\",\"receivedAt\":\"2026-11-24T18:30:00Z\"}";
    private static final String VALID_REPORT = "{\"reporterEmail\":\"alex@example.org\",\"category\":\"exploit\","
            + "\"summary\":\"Stored XSS\",\"description\":\"Steps:\\n1. open a ticket\"}";

    @Test
    void routesAreMatchedAsApiGatewayMatchesThem() {
        assertEquals(Optional.of(new ApiContract.Route("POST", "/incidents")), CONTRACT.route("POST", "/incidents"));
        assertEquals(Optional.of(new ApiContract.Route("ANY", "/incidents")), CONTRACT.route("GET", "/incidents"));
        assertEquals(Optional.of(new ApiContract.Route("GET", "/uploads/{id}/parts")), CONTRACT.route("GET", "/uploads/upl_1/parts"));
        assertEquals(Optional.empty(), CONTRACT.route("PUT", "/uploads"));
    }

    @Test
    void acceptsAnAnswerThatMatchesItsOperation() {
        assertEquals(List.of(), CONTRACT.responseProblems("POST", "/incidents", new ApiContract.Response(201, API_HEADERS, RECEIPT)));
    }

    @Test
    void refusesAStatusTheOperationDoesNotList() {
        List<String> problems = CONTRACT.responseProblems("GET", "/.well-known/security.txt", new ApiContract.Response(404, API_HEADERS, "{}"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("status 404 is not listed"), problems.get(0));
    }

    @Test
    void refusesABodyThatBreaksItsSchema() {
        String noTimestamp = "{\"id\":\"inc_abcdefghijklmnopqrstuvwxyz234567\",\"status\":\"received\",\"receivedAt\":\"yesterday\"}";
        List<String> problems = CONTRACT.responseProblems("POST", "/incidents", new ApiContract.Response(201, API_HEADERS, noTimestamp));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("receivedAt"), problems.get(0));
    }

    @Test
    void refusesAMediaTypeTheResponseDoesNotList() {
        Map<String, String> headers = new java.util.HashMap<>(API_HEADERS);
        headers.put("Content-Type", "text/plain; charset=utf-8");
        List<String> problems = CONTRACT.responseProblems("POST", "/incidents", new ApiContract.Response(201, headers, RECEIPT));
        assertTrue(problems.get(0).startsWith("content type 'text/plain; charset=utf-8' is not listed"), problems.toString());
    }

    @Test
    void refusesAnErrorThatIsNoProblemDetail() {
        Map<String, String> headers = Map.of("Content-Type", "application/problem+json", "X-Content-Type-Options", "nosniff");
        String oldShape = "{\"error\":\"invalid request: category\",\"fields\":[{\"field\":\"category\",\"message\":\"must be one of ...\"}]}";
        List<String> problems = CONTRACT.responseProblems("POST", "/incidents", new ApiContract.Response(400, headers, oldShape));
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("error")), problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("requestId")), problems.toString());
    }

    @Test
    void invalidFieldsMustNameTheFields() {
        Map<String, String> headers = Map.of("Content-Type", "application/problem+json", "X-Content-Type-Options", "nosniff");
        String problem = "{\"type\":\"https://supportress.example/problems/invalid-fields\",\"title\":\"Invalid request fields\","
                + "\"status\":400,\"detail\":\"invalid request: category\",\"requestId\":\"r1\"}";
        List<String> problems = CONTRACT.responseProblems("POST", "/incidents", new ApiContract.Response(400, headers, problem));
        assertTrue(problems.stream().anyMatch(p -> p.contains("fields")), problems.toString());
    }

    @Test
    void refusesAnAnswerWithoutARequiredHeader() {
        Map<String, String> headers = Map.of("Content-Type", "application/problem+json", "X-Content-Type-Options", "nosniff");
        String problem = "{\"type\":\"https://supportress.example/problems/method-not-allowed\",\"title\":\"Method not allowed\","
                + "\"status\":405,\"detail\":\"method not allowed; use POST\",\"requestId\":\"r1\"}";
        List<String> problems = CONTRACT.responseProblems("GET", "/incidents", new ApiContract.Response(405, headers, problem));
        assertEquals(List.of("header Allow is required"), problems);
    }

    @Test
    void takesApiGatewaysOwnAnswerWhereTheGatewayGivesOne() {
        Map<String, String> headers = Map.of("content-type", "application/json", "www-authenticate", "Bearer");
        assertEquals(List.of(), CONTRACT.responseProblems("GET", "/uploads/upl_" + "0".repeat(40),
                new ApiContract.Response(401, headers, "{\"message\":\"Unauthorized\"}")));
    }

    @Test
    void theCheckThrowsNamingEveryProblem() {
        ContractViolation violation = assertThrows(ContractViolation.class,
                () -> ContractCheck.require("GET", "/config.json", 200, Map.of("content-type", "application/json"), "{}"));
        assertTrue(violation.getMessage().contains("X-Content-Type-Options"), violation.getMessage());
        assertTrue(violation.getMessage().contains("cognito"), violation.getMessage());
    }

    @Test
    void acceptsARequestThatMatchesItsOperation() {
        assertEquals(List.of(), CONTRACT.requestProblems(post("/incidents", Map.of("content-type", "application/json"), VALID_REPORT)));
    }

    @Test
    void refusesARequestBodyThatBreaksTheServersRules() {
        String report = VALID_REPORT.replace("exploit", "prank").replace("Stored XSS", "two\\nlines");
        List<String> problems = CONTRACT.requestProblems(post("/incidents", Map.of("content-type", "application/json"), report));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("category")) && problems.stream().anyMatch(p -> p.contains("summary")), problems.toString());
    }

    @Test
    void refusesARequestOfAnotherMediaTypeOrWithoutItsBody() {
        assertTrue(CONTRACT.requestProblems(post("/incidents", Map.of("content-type", "text/plain"), VALID_REPORT))
                .get(0).startsWith("content type 'text/plain' is not listed"));
        assertEquals(List.of("the body is required"), CONTRACT.requestProblems(post("/incidents", Map.of(), "")));
        assertTrue(CONTRACT.requestProblems(post("/incidents", Map.of("content-type", "application/json"), VALID_REPORT + "{}"))
                .get(0).startsWith("the body is not one JSON value"));
    }

    @Test
    void refusesARequestWithoutTheCredentialsItsRouteAsksFor() {
        String upload = "{\"fileName\":\"a.png\",\"contentType\":\"image/png\",\"size\":1}";
        assertEquals(List.of("no credentials for TenantJwt"),
                CONTRACT.requestProblems(post("/uploads", Map.of("content-type", "application/json"), upload)));
        assertEquals(List.of(), CONTRACT.requestProblems(post("/uploads",
                Map.of("content-type", "application/json", "Authorization", "Bearer eyJ.x.y"), upload)));
    }

    @Test
    void checksPathParameters() {
        List<String> problems = CONTRACT.requestProblems(new ApiContract.Request("GET", "/uploads/not-an-upload", Map.of(), Map.of("authorization", "Bearer t"), new byte[0]));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("path parameter id"), problems.get(0));
    }

    @Test
    void checksQueryParameters() {
        Map<String, String> bearer = Map.of("authorization", "Bearer eyJ.x.y");
        assertEquals(List.of("query parameter status is required"),
                CONTRACT.requestProblems(new ApiContract.Request("GET", "/triage/reports", Map.of(), bearer, new byte[0])));
        List<String> problems = CONTRACT.requestProblems(new ApiContract.Request("GET", "/triage/reports",
                Map.of("status", "received", "limit", "1000"), bearer, new byte[0]));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("query parameter limit"), problems.get(0));
        assertEquals(List.of(), CONTRACT.requestProblems(new ApiContract.Request("GET", "/triage/reports",
                Map.of("status", "received", "limit", "25", "order", "oldest"), bearer, new byte[0])));
    }

    private static ApiContract.Request post(String path, Map<String, String> headers, String body) {
        return new ApiContract.Request("POST", path, Map.of(), headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
