package com.supportress.upload.api;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.Routes;
import com.supportress.upload.store.UploadKeys;
import io.micronaut.context.ApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Lambda entry point for /uploads: create, status, multipart parts, complete and abort. */
public class UploadApiHandler extends HttpFunctionHandler {

    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final String PRIMING_TENANT = "snapstart-priming";
    private static final String PRIMING_UPLOAD_ID = "upl_" + "0".repeat(40);

    public UploadApiHandler() {
    }

    public UploadApiHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void prime(ApplicationContext context) {
        UploadApiConfig config = context.getBean(UploadApiConfig.class);
        // Claims, parsing, validation and the 400 body, without recording anything.
        handle(primingRequest(config, "POST", "/uploads", "{\"fileName\":\"../priming\",\"contentType\":\"priming\",\"size\":0}"));
        // The DynamoDB client's first request: a read of an id that never exists (404).
        handle(primingRequest(config, "GET", "/uploads/" + PRIMING_UPLOAD_ID, ""));
        // The presigner's signing path; signing is local, nothing is sent to S3.
        context.getBean(UploadBucket.class).presignPut(UploadKeys.objectKey(PRIMING_TENANT, PRIMING_UPLOAD_ID), "text/plain", 1,
                Optional.empty(), Duration.ofSeconds(1));
    }

    /** A request as API Gateway passes it after its authorizer verified a token of the priming tenant. */
    private static ApiRequest primingRequest(UploadApiConfig config, String method, String path, String body) {
        Map<String, String> claims = new HashMap<>();
        claims.put(config.tenantClaim(), PRIMING_TENANT);
        config.tokenUse().ifPresent(use -> claims.put("token_use", use));
        return new ApiRequest(method, path, Map.of("content-type", "application/json"), Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "snapstart-priming", "localhost", claims);
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        UploadService uploads = context.getBean(UploadService.class);
        UploadApiConfig config = context.getBean(UploadApiConfig.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        return new Routes()
                .on("POST", "/uploads", request -> {
                    String tenant = CallerTenant.of(request, config);
                    UploadRequest upload = UploadRequest.from(json.readObjectBody(request, MAX_BODY_BYTES), config);
                    return ApiResponse.json(201, json.write(uploads.create(tenant, upload)));
                })
                .on("GET", "/uploads/{id}", request ->
                        ApiResponse.json(200, json.write(uploads.status(CallerTenant.of(request, config), request.pathParameter("id")))))
                .on("DELETE", "/uploads/{id}", request ->
                        ApiResponse.json(200, json.write(uploads.abort(CallerTenant.of(request, config), request.pathParameter("id")))))
                .on("POST", "/uploads/{id}/parts", request -> {
                    String tenant = CallerTenant.of(request, config);
                    var body = json.readObjectBody(request, MAX_BODY_BYTES);
                    return ApiResponse.json(200, json.write(uploads.partUrls(tenant, request.pathParameter("id"),
                            partCount -> PartSelection.partNumbers(body, partCount))));
                })
                .on("GET", "/uploads/{id}/parts", request ->
                        ApiResponse.json(200, json.write(uploads.uploadedParts(CallerTenant.of(request, config), request.pathParameter("id")))))
                .on("POST", "/uploads/{id}/complete", request -> {
                    String tenant = CallerTenant.of(request, config);
                    // Completing 10,000 parts takes about 600 KB of JSON; larger bodies are refused.
                    var body = json.readObjectBody(request, 1024 * 1024);
                    return ApiResponse.json(200, json.write(uploads.complete(tenant, request.pathParameter("id"),
                            partCount -> PartSelection.completeParts(body, partCount))));
                });
    }
}
