package com.supportress.incident;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.Routes;
import io.micronaut.context.ApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Lambda entry point for the incident intake API: POST /incidents and GET /.well-known/security.txt. */
public class IncidentIntakeHandler extends HttpFunctionHandler {

    // Printable ASCII, as the IETF Idempotency-Key draft expects of a key; long enough for a UUID or a hash.
    private static final String IDEMPOTENCY_KEY = "^[\\x21-\\x7e]{1,255}$";

    public IncidentIntakeHandler() {
    }

    public IncidentIntakeHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        IncidentService incidents = context.getBean(IncidentService.class);
        SecurityTxt securityTxt = context.getBean(SecurityTxt.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        int maxBodyBytes = context.getBean(IncidentIntakeConfig.class).maxBodyBytes();
        return new Routes()
                .on("POST", "/incidents", request -> {
                    Optional<String> key = request.header("idempotency-key");
                    if (key.isPresent() && !key.get().matches(IDEMPOTENCY_KEY)) {
                        throw new ClientErrorException(ClientError.InvalidFields.of("Idempotency-Key", "must be 1 to 255 printable ASCII characters"));
                    }
                    IncidentSubmission submission = IncidentSubmission.from(json.readObjectBody(request, maxBodyBytes));
                    IncidentService.Outcome outcome = incidents.file(submission, request.body(), request.sourceIp(), key);
                    ApiResponse response = ApiResponse.json(outcome.status(), outcome.body());
                    return outcome.replayed() ? response.withHeader("idempotent-replayed", "true") : response;
                })
                .on("GET", "/.well-known/security.txt", request -> ApiResponse.text(200, securityTxt.render(request.host())));
    }

    @Override
    protected void prime(ApplicationContext context) {
        handle(primingRequest("GET", "/.well-known/security.txt", ""));
        // Parsing, validation and the 400 body, without storing anything.
        handle(primingRequest("POST", "/incidents", "{\"reporterEmail\":\"priming@invalid\",\"category\":\"priming\"}"));
        // The DynamoDB client's first request (a read of a key that never exists).
        context.getBean(IncidentStore.class).findIdempotentResponse("snapstart-priming", Instant.now());
    }

    private static ApiRequest primingRequest(String method, String path, String body) {
        return new ApiRequest(method, path, Map.of("content-type", "application/json"), Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "snapstart-priming", "localhost");
    }
}
