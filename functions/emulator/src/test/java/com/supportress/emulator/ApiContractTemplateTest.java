package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.supportress.api.contract.ApiContract;
import com.supportress.shared.http.ApiRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier, no emulator: the API's contract (functions/api-contract/openapi.yaml) describes exactly the HTTP API
 * template.yaml deploys: the same routes, the same credentials checked by API Gateway on each, the same upload limit;
 * and every sample request in events/ matches it, except the ones the template registers as refused, which must break
 * it unless they say why a request it describes is refused all the same (ValidRequest).
 */
class ApiContractTemplateTest {

    private final SamTemplate template = SamTemplate.load();
    private final ApiContract contract = ApiContract.get();

    @Test
    void theDocumentHasExactlyTheRoutesOfTheTemplate() {
        Set<String> inTemplate = new TreeSet<>(templateRoutes().keySet().stream().map(ApiContract.Route::toString).toList());
        Set<String> inDocument = new TreeSet<>(contract.routes().stream().map(ApiContract.Route::toString).toList());
        Set<String> undocumented = new TreeSet<>(inTemplate);
        undocumented.removeAll(inDocument);
        Set<String> undeployed = new TreeSet<>(inDocument);
        undeployed.removeAll(inTemplate);
        assertEquals(Set.of(), undocumented, "routes of template.yaml that functions/api-contract/openapi.yaml does not describe");
        assertEquals(Set.of(), undeployed, "routes of functions/api-contract/openapi.yaml that template.yaml does not deploy");
        assertEquals(inTemplate.size(), contract.routes().size(), "openapi.yaml describes a route twice");
    }

    @Test
    void eachRouteAsksForTheCredentialsApiGatewayChecksOnIt() {
        Set<String> gatewaySchemes = gatewayAuthorizers();
        List<String> offenders = new ArrayList<>();
        templateRoutes().forEach((route, authorizer) -> {
            if (!contract.routes().contains(route)) {
                return;
            }
            Set<String> documented = new TreeSet<>(contract.securitySchemes(route));
            documented.retainAll(gatewaySchemes);
            Set<String> deployed = authorizer.map(Set::of).orElse(Set.of());
            if (!documented.equals(deployed)) {
                offenders.add(route + ": template.yaml's authorizer " + deployed + ", openapi.yaml's security " + documented);
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void theLargestUploadIsTheFunctionsLimit() {
        Object limit = SamTemplate.mapAt(SamTemplate.mapAt(template.functionProperties("UploadApiFunction"), "Environment"), "Variables")
                .get("MAX_UPLOAD_BYTES");
        assertEquals(String.valueOf(limit), contract.at("/components/schemas/UploadRequest/properties/size/maximum").asText());
    }

    @Test
    void everySampleRequestMatchesTheContractUnlessItIsRefused() {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (LocalFunction function : LocalFunction.all(template)) {
            if (function.routes().isEmpty()) {
                continue;
            }
            for (RegisteredSamples.Sample sample : RegisteredSamples.of(template, function.logicalId())) {
                String name = SamTemplate.repositoryRoot().relativize(sample.file()).toString();
                List<String> problems = contract.requestProblems(request(sample.file()));
                checked++;
                if (sample.refusal().isEmpty() && !problems.isEmpty()) {
                    offenders.add(name + " breaks the contract: " + problems);
                } else if (sample.refusal().isPresent() && sample.validRequest().isEmpty() && problems.isEmpty()) {
                    offenders.add(name + " is refused (" + sample.refusal().get() + ") but matches the contract: tighten openapi.yaml,"
                            + " or say under ValidRequest why a request it describes is refused");
                } else if (sample.validRequest().isPresent() && !problems.isEmpty()) {
                    offenders.add(name + " says it is a valid request (" + sample.validRequest().get() + ") but breaks the contract: " + problems);
                }
            }
        }
        assertEquals(List.of(), offenders);
        assertTrue(checked >= 10, "the HTTP samples were not found: " + checked);
    }

    @Test
    void everyWebhookPayloadMatchesTheBodyOfItsRoute() {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (LocalFunction function : LocalFunction.all(template)) {
            for (Path payload : RegisteredSamples.webhookPayloads(template, function.logicalId())) {
                // A provider's payloads sit in a folder named for it: events/billing/stripe/* go to POST /webhooks/stripe.
                ApiContract.Route route = new ApiContract.Route("POST", "/webhooks/" + payload.getParent().getFileName());
                List<String> problems = contract.bodyProblems(route, "application/json", read(payload));
                checked++;
                if (!problems.isEmpty()) {
                    offenders.add(SamTemplate.repositoryRoot().relativize(payload) + " as the body of " + route + ": " + problems);
                }
            }
        }
        assertEquals(List.of(), offenders);
        assertTrue(checked >= 20, "the webhook payloads were not found: " + checked);
    }

    /** Every HttpApi event of template.yaml, with the authorizer it names (empty for a public route). */
    private Map<ApiContract.Route, Optional<String>> templateRoutes() {
        Map<ApiContract.Route, Optional<String>> routes = new LinkedHashMap<>();
        for (LocalFunction function : LocalFunction.all(template)) {
            function.routes().forEach(route -> routes.put(new ApiContract.Route(route.method(), route.path()), route.authorizer()));
        }
        return routes;
    }

    /** The credentials API Gateway itself checks: the HttpApi's authorizers, and IAM when enabled. */
    private Set<String> gatewayAuthorizers() {
        Set<String> names = new TreeSet<>();
        template.resourcesOfType("AWS::Serverless::HttpApi").keySet().forEach(api -> {
            Map<String, Object> auth = SamTemplate.mapAt(template.properties(api), "Auth");
            names.addAll(SamTemplate.mapAt(auth, "Authorizers").keySet());
            if (Boolean.TRUE.equals(auth.get("EnableIamAuthorizer"))) {
                names.add("AWS_IAM");
            }
        });
        return names;
    }

    private static ApiContract.Request request(Path file) {
        ApiRequest request = ApiRequest.from((APIGatewayV2HTTPEvent) SampleEvents.load(file, APIGatewayV2HTTPEvent.class));
        return new ApiContract.Request(request.method(), request.path(), request.query(), request.headers(), request.body());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
