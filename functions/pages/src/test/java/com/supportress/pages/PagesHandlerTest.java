package com.supportress.pages;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.HttpEvents;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier, no emulator: the pages as PagesFunction serves them in AWS, from the template's sample event. */
class PagesHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEPLOYED = Map.of(
            "AWS_REGION", "eu-west-1", "UPLOAD_BUCKET", "supportress-prod-uploads-123456789012", "COGNITO_CLIENT_ID", "4bq7dlbvgl1mva7mhnm2k1b8tq");

    @Test
    void theUploadPageIsServedUnderAStrictContentSecurityPolicyWithHsts() {
        try (PagesHandler pages = handler(DEPLOYED)) {
            APIGatewayV2HTTPResponse page = pages.handleRequest(HttpEvents.sample("pages/upload-page.json"), null);

            assertEquals(200, page.getStatusCode());
            assertTrue(page.getHeaders().get("content-type").startsWith("text/html"));
            String policy = page.getHeaders().get("content-security-policy");
            assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self';") && policy.contains("style-src 'self';"), policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
            assertTrue(policy.contains("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com "
                    + "https://supportress-prod-uploads-123456789012.s3.amazonaws.com https://supportress-prod-uploads-123456789012.s3.eu-west-1.amazonaws.com;"), policy);
            assertTrue(policy.contains("frame-ancestors 'none'"), policy);
            assertEquals("nosniff", page.getHeaders().get("x-content-type-options"));
            assertEquals("max-age=63072000; includeSubDomains", page.getHeaders().get("strict-transport-security"));
            assertFalse(Pattern.compile("<script>|<style|\\sstyle=|\\son[a-z]+=").matcher(page.getBody()).find(), "nothing inline for the CSP to block");
        }
    }

    @Test
    void theReportFormIsServedUnderTheSamePolicyWithNothingInline() {
        try (PagesHandler pages = handler(DEPLOYED)) {
            APIGatewayV2HTTPResponse form = get(pages, "/report");
            APIGatewayV2HTTPResponse script = get(pages, "/assets/report.js");

            assertEquals(200, form.getStatusCode());
            assertEquals(pages.handleRequest(HttpEvents.sample("pages/upload-page.json"), null).getHeaders().get("content-security-policy"),
                    form.getHeaders().get("content-security-policy"));
            assertTrue(form.getBody().contains("<script src=\"/assets/report.js\"></script>"));
            assertFalse(Pattern.compile("<script>|<style|\\sstyle=|\\son[a-z]+=").matcher(form.getBody()).find(), "nothing inline for the CSP to block");
            assertEquals(200, script.getStatusCode());
            assertTrue(script.getBody().contains("Idempotency-Key"));
        }
    }

    @Test
    void assetsAreServedByPlainNameOnly() {
        try (PagesHandler pages = handler(DEPLOYED)) {
            APIGatewayV2HTTPResponse script = get(pages, "/assets/signin.js");
            assertEquals(200, script.getStatusCode());
            assertEquals("text/javascript; charset=utf-8", script.getHeaders().get("content-type"));
            assertEquals(404, get(pages, "/assets/..%2Findex.html").getStatusCode());
            assertEquals(404, get(pages, "/assets/missing.js").getStatusCode());
        }
    }

    @Test
    void signInSettingsNameCognitosPublicEndpointAndTheAppClient() throws Exception {
        try (PagesHandler pages = handler(DEPLOYED)) {
            JsonNode settings = JSON.readTree(get(pages, "/config.json").getBody());
            assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/", settings.get("cognito").get("endpoint").asText());
            assertEquals("4bq7dlbvgl1mva7mhnm2k1b8tq", settings.get("cognito").get("clientId").asText());
        }
        Map<String, String> otherIssuer = new HashMap<>(DEPLOYED);
        otherIssuer.put("COGNITO_CLIENT_ID", "");
        try (PagesHandler pages = handler(otherIssuer)) {
            assertTrue(JSON.readTree(get(pages, "/config.json").getBody()).get("cognito").isNull(), "another OIDC issuer: the page takes a token");
        }
    }

    private static APIGatewayV2HTTPResponse get(PagesHandler pages, String path) {
        return pages.handleRequest(HttpEvents.request("GET", path, Map.of("x-forwarded-proto", "https"), new byte[0], "203.0.113.20"), null);
    }

    private static PagesHandler handler(Map<String, String> environment) {
        return new PagesHandler(FunctionApplication.builder(FunctionEnvironment.of(environment)).start());
    }
}
