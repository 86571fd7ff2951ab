package com.supportress.upload.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.BadTokens;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.RecordedMetrics;
import com.supportress.emulator.TenantUsers;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.upload.store.FinalStatusMetric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: upload-api against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per test. */
@Tag("emulator")
class UploadApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long MIB = 1024 * 1024;
    private static final String TENANT = "acme";
    /** A PUT must declare a SHA-256; tests that never send the bytes declare this one. */
    private static final String DECLARED_SHA256 = "AbpHGcgLb+kRsJGnwFEktk7uzpZOCcBY74+YBdrKVGs=";

    private EmulatedStack stack;
    private MutableClock clock;
    private ApiGateway gateway;
    private TenantUsers users;
    private UploadApiHandler handler;
    private RecordedMetrics metrics;
    // Real ID tokens from the stack's user pool (moto), one user per tenant.
    private String acme;
    private String globex;

    @BeforeEach
    void standUpStack() {
        stack = EmulatedStack.create(Map.of());
        clock = new MutableClock(Instant.now());
        gateway = ApiGateway.of(stack);
        users = new TenantUsers(stack);
        acme = users.idToken(TENANT);
        globex = users.idToken("globex");
        metrics = new RecordedMetrics(stack, "UploadApiFunction", clock);
        handler = handlerWith(Map.of());
    }

    @AfterEach
    void closeHandler() {
        handler.close();
    }

    /** Lowered thresholds so multipart is exercised with small files; S3 still wants parts of at least 5 MiB. */
    private UploadApiHandler handlerWith(Map<String, String> overrides) {
        Map<String, String> variables = new HashMap<>(stack.environment("UploadApiFunction").variables());
        variables.put("SINGLE_PUT_MAX_BYTES", Long.toString(5 * MIB));
        variables.put("PART_SIZE_BYTES", Long.toString(5 * MIB));
        variables.put("MAX_UPLOAD_BYTES", Long.toString(20 * MIB));
        variables.putAll(overrides);
        return new UploadApiHandler(FunctionApplication.builder(FunctionEnvironment.of(variables)).singletons(clock, metrics.metrics()).start());
    }

    @Test
    void singlePutUrlIsSignedOverTypeLengthAndChecksumAndExpiresWithinFiveMinutes() throws Exception {
        byte[] file = "id,amount\n1,20\n".getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(file);
        JsonNode created = created(createUpload("ledger.csv", "text/csv", file.length, sha256));

        assertEquals("PUT", created.get("method").asText());
        String uploadId = created.get("uploadId").asText();
        assertTrue(uploadId.matches("upl_[0-9a-f]{40}"), uploadId);
        URI url = URI.create(created.get("url").asText());
        Map<String, String> query = query(url);
        assertEquals(Set.of("content-length", "content-type", "host", "if-none-match", "x-amz-checksum-sha256"),
                Set.of(query.get("X-Amz-SignedHeaders").split(";")));
        assertEquals("*", created.get("headers").get("if-none-match").asText(), "S3 refuses a second PUT to the key");
        assertTrue(Integer.parseInt(query.get("X-Amz-Expires")) <= 300, query.get("X-Amz-Expires"));
        assertTrue(url.getPath().endsWith("/tenants/" + TENANT + "/" + uploadId), url.getPath());
        assertEquals(sha256, created.get("headers").get("x-amz-checksum-sha256").asText());
        assertEquals("text/csv", created.get("headers").get("content-type").asText());
        assertEquals(Long.toString(file.length), created.get("headers").get("content-length").asText());
        Instant expiresAt = Instant.parse(created.get("expiresAt").asText());
        assertFalse(expiresAt.isAfter(Instant.now().plusSeconds(300)));

        Map<String, AttributeValue> item = uploadItem(uploadId);
        assertEquals(TENANT, item.get("tenant").s());
        assertEquals("tenants/" + TENANT + "/" + uploadId, item.get("objectKey").s());
        assertEquals(Long.toString(file.length), item.get("size").n());
        assertEquals("text/csv", item.get("contentType").s());
        assertEquals(sha256, item.get("declaredSha256").s());
        assertEquals("pending", item.get("status").s());

        assertEquals(200, put(created.get("url").asText(), created.get("headers"), file));
        assertEquals(file.length, stack.s3().headObject(r -> r.bucket(bucket()).key("tenants/" + TENANT + "/" + uploadId)).contentLength());
    }

    @Test
    void sampleEventsFromTheEventsFolderAreAnsweredAsDocumented() throws Exception {
        // The template's own limits (100 MiB single PUT, 50 GiB maximum), as the events folder documents them.
        try (UploadApiHandler deployed = new UploadApiHandler(stack.start("UploadApiFunction", clock))) {
            JsonNode single = created(deployed.handleRequest(HttpEvents.sample("upload-api/create-single-put.json"), null));
            assertEquals("PUT", single.get("method").asText());
            JsonNode multipart = created(deployed.handleRequest(HttpEvents.sample("upload-api/create-multipart.json"), null));
            assertEquals("MULTIPART", multipart.get("method").asText());
            assertEquals(32, multipart.get("partCount").asInt(), "2 GiB in 64 MiB parts");
            assertEquals(2, uploadCount());

            JsonNode invalid = body(deployed.handleRequest(HttpEvents.sample("upload-api/invalid.json"), null), 400);
            Set<String> fields = new HashSet<>();
            invalid.get("fields").forEach(field -> fields.add(field.get("field").asText()));
            assertEquals(Set.of("fileName", "contentType", "size"), fields);
            assertEquals(403, deployed.handleRequest(HttpEvents.sample("upload-api/no-tenant-claim.json"), null).getStatusCode());
            assertEquals(401, deployed.handleRequest(HttpEvents.sample("upload-api/access-token.json"), null).getStatusCode());
            assertEquals(2, uploadCount());
        }
    }

    @Test
    void aPresignedPutWritesTheUploadOnceAndCannotOverwriteIt() throws Exception {
        byte[] file = "first\n".getBytes(StandardCharsets.UTF_8);
        JsonNode created = created(createUpload("a.txt", "text/plain", file.length, sha256(file)));

        assertEquals(200, put(created.get("url").asText(), created.get("headers"), file));
        assertEquals(412, put(created.get("url").asText(), created.get("headers"), file),
                "If-None-Match: * is signed, so S3 refuses the second write");
        String key = "tenants/" + TENANT + "/" + created.get("uploadId").asText();
        assertEquals("first\n", stack.s3().getObjectAsBytes(r -> r.bucket(bucket()).key(key)).asUtf8String());
    }

    @Test
    void bytesOtherThanTheDeclaredSha256AreRefusedByS3() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        byte[] declared = "id,amount\n1,20\n".getBytes(StandardCharsets.UTF_8);
        byte[] sent = "id,amount\n1,99\n".getBytes(StandardCharsets.UTF_8);
        JsonNode created = created(createUpload("ledger.csv", "text/csv", declared.length, sha256(declared)));

        assertEquals(400, put(created.get("url").asText(), created.get("headers"), sent), "S3 checks the signed x-amz-checksum-sha256");
        assertFalse(objectExists("tenants/" + TENANT + "/" + created.get("uploadId").asText()));
    }

    @Test
    void aSinglePutWithoutItsSha256IsRejectedAndNothingRecorded() throws Exception {
        assertRejected(createUpload("a.txt", "text/plain", 10, null), 400, "sha256");
        assertRejected(request("POST", "/uploads", acme, "{\"fileName\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":10,\"sha256\":\" \"}"),
                400, "sha256");
    }

    @Test
    void aMultipartUploadRefusesAWholeFileSha256AndAPutAboveTheSinglePutLimit() throws Exception {
        assertRejected(createUpload("big.txt", "text/plain", 6 * MIB, sha256(new byte[]{1})), 400, "sha256");
        ObjectNode tooBigForPut = JSON.createObjectNode().put("fileName", "big.txt").put("contentType", "text/plain")
                .put("size", 6 * MIB).put("method", "PUT").put("sha256", sha256(new byte[]{1}));
        assertRejected(request("POST", "/uploads", acme, tooBigForPut.toString()), 400, "method");
    }

    @Test
    void aSmallFileCanGoUpAsOnePartWhenTheClientAsksForMultipart() throws Exception {
        byte[] file = "one small part\n".getBytes(StandardCharsets.UTF_8);
        ObjectNode body = JSON.createObjectNode().put("fileName", "small.txt").put("contentType", "text/plain")
                .put("size", file.length).put("method", "multipart");
        JsonNode created = created(request("POST", "/uploads", acme, body.toString()));
        assertEquals("MULTIPART", created.get("method").asText());
        assertEquals(1, created.get("partCount").asInt());

        String uploadId = created.get("uploadId").asText();
        uploadParts(uploadId, file, file.length);
        assertEquals(file.length, stack.s3().headObject(r -> r.bucket(bucket()).key("tenants/" + TENANT + "/" + uploadId)).contentLength());
    }

    @Test
    void snapStartPrimingExercisesTheHotPathAndRecordsNothing() {
        assertTrue(handler.priming().prime());
        assertEquals(0, uploadCount());
        assertTrue(stack.s3().listObjectsV2(r -> r.bucket(bucket())).contents().isEmpty());
    }

    @Test
    void fileNameIsKeptAsMetadataAndNeverShapesTheKey() throws Exception {
        JsonNode created = created(createUpload("Quarterly report (final).pdf", "application/pdf", 1000, sha256(new byte[]{1})));
        String uploadId = created.get("uploadId").asText();
        assertEquals("Quarterly report (final).pdf", uploadItem(uploadId).get("fileName").s());
        assertFalse(created.get("url").asText().contains("Quarterly"));
    }

    @Test
    void statusShowsWhatWasDeclared() throws Exception {
        JsonNode created = created(createUpload("a.png", "image/png", 2048, sha256(new byte[]{1})));
        JsonNode status = body(request("GET", "/uploads/" + created.get("uploadId").asText(), acme, null), 200);
        assertEquals("pending", status.get("status").asText());
        assertEquals(2048, status.get("size").asLong());
        assertEquals("image/png", status.get("contentType").asText());
        assertEquals(sha256(new byte[]{1}), status.get("sha256").asText());
        assertFalse(status.has("replicaRegion"));
    }

    @Test
    void largeFileIsUploadedInPartsSignedOverTheirChecksumsListedForResumeAndCompleted() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        byte[] file = new byte[(int) (11 * MIB)];
        Arrays.fill(file, (byte) 'x');
        file[file.length - 1] = 'y';
        JsonNode created = created(createUpload("big.txt", "text/plain", file.length, null));
        assertEquals("MULTIPART", created.get("method").asText());
        assertEquals(5 * MIB, created.get("partSize").asLong());
        assertEquals(3, created.get("partCount").asInt());
        String uploadId = created.get("uploadId").asText();
        JsonNode nothingYet = body(request("GET", "/uploads/" + uploadId + "/parts", acme, null), 200).get("parts");
        assertTrue(nothingYet.isArray() && nothingYet.isEmpty(), "an empty list, not a missing field");

        JsonNode urls = body(request("POST", "/uploads/" + uploadId + "/parts", acme, partsBody(file, 5 * MIB, 1, 2, 3)), 200).get("parts");
        assertEquals(3, urls.size());
        ArrayNode completion = JSON.createArrayNode();
        for (JsonNode part : urls) {
            int number = part.get("partNumber").asInt();
            byte[] bytes = part(file, 5 * MIB, number);
            Map<String, String> query = query(URI.create(part.get("url").asText()));
            assertTrue(Set.of(query.get("X-Amz-SignedHeaders").split(";")).containsAll(Set.of("content-length", "x-amz-checksum-sha256")),
                    "each part's length and SHA-256 are signed: " + query.get("X-Amz-SignedHeaders"));
            assertTrue(Integer.parseInt(query.get("X-Amz-Expires")) <= 300);
            assertEquals(Long.toString(bytes.length), part.get("headers").get("content-length").asText());
            assertEquals(sha256(bytes), part.get("headers").get("x-amz-checksum-sha256").asText());
            HttpResponse<String> response = HTTP.send(putRequest(part.get("url").asText(), part.get("headers"), bytes), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            completion.addObject().put("partNumber", number).put("etag", response.headers().firstValue("etag").orElseThrow())
                    .put("sha256", sha256(bytes));
        }

        JsonNode listed = body(request("GET", "/uploads/" + uploadId + "/parts", acme, null), 200).get("parts");
        assertEquals(3, listed.size());
        assertEquals(MIB, listed.get(2).get("size").asLong());

        JsonNode completed = body(request("POST", "/uploads/" + uploadId + "/complete", acme,
                JSON.createObjectNode().set("parts", completion).toString()), 200);
        assertEquals("pending", completed.get("status").asText(), "pending until the ingest function has checked the object");
        String composite = compositeSha256(file, 5 * MIB);
        assertEquals(composite, completed.get("compositeSha256").asText());
        assertEquals(composite, uploadItem(uploadId).get("declaredCompositeSha256").s());
        var head = stack.s3().headObject(r -> r.bucket(bucket()).key("tenants/" + TENANT + "/" + uploadId).checksumMode(ChecksumMode.ENABLED));
        assertEquals(file.length, head.contentLength());
        assertEquals(composite.split("-")[0], head.checksumSHA256().split("-")[0], "S3's composite is the one recorded");

        APIGatewayV2HTTPResponse again = request("POST", "/uploads/" + uploadId + "/complete", acme,
                JSON.createObjectNode().set("parts", completion).toString());
        assertEquals(409, again.getStatusCode(), "completing twice is a conflict, not a server error");
        assertEquals(409, request("GET", "/uploads/" + uploadId + "/parts", acme, null).getStatusCode());
    }

    @Test
    void aPartWithOtherBytesThanItsDeclaredSha256IsRefusedByS3() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        byte[] file = new byte[(int) (6 * MIB)];
        String uploadId = created(createUpload("big.txt", "text/plain", file.length, null)).get("uploadId").asText();
        JsonNode url = body(request("POST", "/uploads/" + uploadId + "/parts", acme, partsBody(file, 5 * MIB, 2)), 200).get("parts").get(0);
        byte[] other = part(file, 5 * MIB, 2);
        other[0] = 1;

        assertEquals(400, put(url.get("url").asText(), url.get("headers"), other), "S3 checks the signed x-amz-checksum-sha256 of the part");
        assertEquals(0, body(request("GET", "/uploads/" + uploadId + "/parts", acme, null), 200).get("parts").size());
    }

    @Test
    void completingWithAnotherSha256ThanAPartsIsRejectedAndTheUploadStaysOpen() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        byte[] file = new byte[(int) (6 * MIB)];
        String uploadId = created(createUpload("big.txt", "text/plain", file.length, null)).get("uploadId").asText();
        ArrayNode completion = uploadPartsWithoutCompleting(uploadId, file, 5 * MIB);
        ((ObjectNode) completion.get(1)).put("sha256", sha256(new byte[]{1}));

        JsonNode error = body(request("POST", "/uploads/" + uploadId + "/complete", acme,
                JSON.createObjectNode().set("parts", completion).toString()), 400);
        assertEquals("parts[1].sha256", error.get("fields").get(0).get("field").asText());
        assertFalse(objectExists("tenants/" + TENANT + "/" + uploadId));
        assertEquals("pending", uploadItem(uploadId).get("status").s());
    }

    @Test
    void completingWithAWrongEtagIsRejectedAndTheUploadStaysOpen() throws Exception {
        byte[] file = new byte[(int) (6 * MIB)];
        String uploadId = created(createUpload("big.txt", "text/plain", file.length, null)).get("uploadId").asText();
        ArrayNode completion = uploadPartsWithoutCompleting(uploadId, file, 5 * MIB);
        completion.forEach(part -> ((ObjectNode) part).put("etag", "\"0123456789abcdef0123456789abcdef\""));

        JsonNode error = body(request("POST", "/uploads/" + uploadId + "/complete", acme,
                JSON.createObjectNode().set("parts", completion).toString()), 400);
        assertEquals("parts[0].etag", error.get("fields").get(0).get("field").asText());
        assertFalse(objectExists("tenants/" + TENANT + "/" + uploadId));
        assertEquals(2, body(request("GET", "/uploads/" + uploadId + "/parts", acme, null), 200).get("parts").size());
        assertEquals("pending", uploadItem(uploadId).get("status").s());
    }

    @Test
    void completingBeforeEveryPartIsUploadedIsRejected() throws Exception {
        JsonNode created = created(createUpload("big.txt", "text/plain", 6 * MIB, null));
        String uploadId = created.get("uploadId").asText();
        JsonNode error = body(request("POST", "/uploads/" + uploadId + "/complete", acme, completeBody(2)), 400);
        assertTrue(error.get("fields").get(0).get("message").asText().contains("has not been uploaded"));
        assertFalse(objectExists("tenants/" + TENANT + "/" + uploadId));
    }

    @Test
    void partsOutsideTheUploadOrWithoutTheirSha256AreRejected() throws Exception {
        String uploadId = created(createUpload("big.txt", "text/plain", 6 * MIB, null)).get("uploadId").asText();
        String part3 = "{\"partNumber\":3,\"sha256\":\"" + sha256(new byte[]{1}) + "\"}";
        assertRejectedField(request("POST", "/uploads/" + uploadId + "/parts", acme, "{\"parts\":[" + part3 + "]}"), "parts[0].partNumber");
        String part1 = "{\"partNumber\":1,\"sha256\":\"" + sha256(new byte[]{1}) + "\"}";
        assertRejectedField(request("POST", "/uploads/" + uploadId + "/parts", acme, "{\"parts\":[" + part1 + "," + part1 + "]}"),
                "parts[1].partNumber");
        assertRejectedField(request("POST", "/uploads/" + uploadId + "/parts", acme, "{\"parts\":[]}"), "parts");
        assertRejectedField(request("POST", "/uploads/" + uploadId + "/parts", acme, "{\"parts\":[{\"partNumber\":1}]}"),
                "parts[0].sha256");
        assertRejectedField(request("POST", "/uploads/" + uploadId + "/parts", acme, "{\"partNumbers\":[1]}"), "parts");
    }

    @Test
    void disallowedTypeIsRejectedAndNothingRecorded() throws Exception {
        assertRejected(createUpload("run.sh", "application/x-sh", 10, null), 400, "contentType");
    }

    @Test
    void emptyFileIsRejectedAndNothingRecorded() throws Exception {
        assertRejected(createUpload("empty.txt", "text/plain", 0, null), 400, "size");
    }

    @Test
    void fileOverTheMaximumIsRejectedAndNothingRecorded() throws Exception {
        assertRejected(createUpload("huge.zip", "application/zip", 20 * MIB + 1, null), 400, "size");
    }

    @Test
    void pathLikeFileNamesAreRejectedAndNothingRecorded() throws Exception {
        for (String name : List.of("../../etc/passwd", "a/b.txt", "..\\boot.ini", "..", "C:evil.txt")) {
            assertRejected(createUpload(name, "text/plain", 10, null), 400, "fileName");
        }
    }

    @Test
    void controlCharactersInFileNamesAreRejectedAndNothingRecorded() throws Exception {
        for (String name : List.of("report\n.txt", "report.txt\r", "a\u0000b.txt", "invoice\u202Efdp.exe.txt")) {
            assertRejected(createUpload(name, "text/plain", 10, null), 400, "fileName");
        }
    }

    @Test
    void malformedChecksumIsRejectedAndNothingRecorded() throws Exception {
        assertRejected(createUpload("a.txt", "text/plain", 10, "not-a-sha256"), 400, "sha256");
    }

    @Test
    void aTokenNamingNoValidTenantIsRefusedWith403AndNothingRecorded() throws Exception {
        for (String tenant : List.of("../other", "Acme Corp")) {
            assertEquals(403, request("POST", "/uploads", users.idToken(tenant), uploadBody("a.txt", "text/plain", 10, DECLARED_SHA256)).getStatusCode());
        }
        assertEquals(0, uploadCount());
    }

    @Test
    void everyTokenTheAuthorizerOrTheFunctionRefusesGets401AndNothingIsStored() throws Exception {
        String body = uploadBody("a.txt", "text/plain", 10, DECLARED_SHA256);
        Map<String, Supplier<APIGatewayV2HTTPResponse>> attempts = new LinkedHashMap<>();
        attempts.put("missing", () -> request("POST", "/uploads", null, body));
        attempts.put("expired", () -> atGatewayTime(Duration.ofHours(2), () -> request("POST", "/uploads", acme, body)));
        attempts.put("not yet valid (issued in the future)", () -> atGatewayTime(Duration.ofMinutes(-10), () -> request("POST", "/uploads", acme, body)));
        attempts.put("wrong issuer (another user pool)", () -> request("POST", "/uploads", BadTokens.fromAnotherPool(stack, TENANT), body));
        attempts.put("wrong audience (another app client)", () -> request("POST", "/uploads", BadTokens.fromAnotherClient(stack, users, TENANT), body));
        attempts.put("alg none", () -> request("POST", "/uploads", BadTokens.unsigned(acme), body));
        attempts.put("HS256 signed with the public key", () -> request("POST", "/uploads", BadTokens.hmacWithPublicKey(stack, users, acme), body));
        attempts.put("tampered (tenant changed)", () -> request("POST", "/uploads", BadTokens.withClaim(acme, "custom:tenant_id", "globex"), body));
        attempts.put("access token (token_use access)", () -> request("POST", "/uploads", users.signIn(users.create(TENANT)).accessToken(), body));

        attempts.forEach((kind, attempt) -> {
            APIGatewayV2HTTPResponse response = attempt.get();
            assertEquals(401, response.getStatusCode(), kind + ": " + response.getBody());
            assertTrue(response.getHeaders().get("www-authenticate").startsWith("Bearer"), kind);
        });
        assertEquals(0, uploadCount(), "nothing stored");
        assertTrue(stack.s3().listMultipartUploads(r -> r.bucket(bucket())).uploads().isEmpty());
        assertEquals(201, request("POST", "/uploads", acme, body).getStatusCode(), "the same request with the real token passes");
    }

    /** The call as an API Gateway whose clock is off by the offset would see it (the token's lifetime against that clock). */
    private <T> T atGatewayTime(Duration offset, Supplier<T> call) {
        ApiGateway onTime = gateway;
        gateway = ApiGateway.of(stack, Clock.offset(Clock.systemUTC(), offset));
        try {
            return call.get();
        } finally {
            gateway = onTime;
        }
    }

    @Test
    void openUploadsPastTheTenantQuotaGet429UntilOneIsAborted() throws Exception {
        try (UploadApiHandler limited = handlerWith(Map.of("MAX_OPEN_UPLOADS_PER_TENANT", "2"))) {
            String body = uploadBody("a.txt", "text/plain", 10, DECLARED_SHA256);
            String first = created(request(limited, "POST", "/uploads", acme, body)).get("uploadId").asText();
            created(request(limited, "POST", "/uploads", acme, body));

            APIGatewayV2HTTPResponse third = request(limited, "POST", "/uploads", acme, body);
            assertEquals(429, third.getStatusCode(), third.getBody());
            assertEquals("60", third.getHeaders().get("retry-after"));
            assertEquals(2, uploadCount(), "the refused upload is not recorded");
            APIGatewayV2HTTPResponse other = request(limited, "POST", "/uploads", globex, body);
            assertEquals(201, other.getStatusCode(), "another tenant has its own quota: " + other.getBody());

            body(request(limited, "DELETE", "/uploads/" + first, acme, null), 200);
            assertEquals(201, request(limited, "POST", "/uploads", acme, body).getStatusCode(), "an aborted upload frees its slot");
        }
    }

    // DynamoDB runs TransactWriteItems serializably; plain moto 5.2 does not (measured: 4 or 5 of 12 concurrent creates
    // pass a quota of 3), so this needs the launcher's serialized writes.
    @Test
    void concurrentCreatesNeverOpenMoreUploadsThanTheQuota() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        try (UploadApiHandler limited = handlerWith(Map.of("MAX_OPEN_UPLOADS_PER_TENANT", "3"))) {
            String body = uploadBody("a.txt", "text/plain", 10, DECLARED_SHA256);
            List<Integer> statuses;
            try (var pool = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    calls.add(pool.submit(() -> request(limited, "POST", "/uploads", acme, body).getStatusCode()));
                }
                statuses = new ArrayList<>();
                for (var call : calls) {
                    statuses.add(call.get());
                }
            }
            assertEquals(3, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
            assertEquals(9, statuses.stream().filter(status -> status == 429).count(), statuses.toString());
            assertEquals(3, uploadCount());
        }
    }

    @Test
    void multipartUploadRefusedByTheQuotaLeavesNoMultipartUploadOpen() throws Exception {
        try (UploadApiHandler limited = handlerWith(Map.of("MAX_OPEN_UPLOADS_PER_TENANT", "1"))) {
            created(request(limited, "POST", "/uploads", acme, uploadBody("big.txt", "text/plain", 6 * MIB, null)));
            assertEquals(429, request(limited, "POST", "/uploads", acme, uploadBody("big.txt", "text/plain", 6 * MIB, null)).getStatusCode());
            assertEquals(1, stack.s3().listMultipartUploads(r -> r.bucket(bucket())).uploads().size());
        }
    }

    @Test
    void bytesPastTheTenantsDailyQuotaGet429UntilMidnightAndAFailedUploadGivesThemBack() throws Exception {
        try (UploadApiHandler limited = handlerWith(Map.of("MAX_UPLOAD_BYTES_PER_TENANT_PER_DAY", "100"))) {
            String first = created(request(limited, "POST", "/uploads", acme, uploadBody("a.txt", "text/plain", 60, DECLARED_SHA256))).get("uploadId").asText();

            APIGatewayV2HTTPResponse over = request(limited, "POST", "/uploads", acme, uploadBody("b.txt", "text/plain", 50, DECLARED_SHA256));
            assertEquals(429, over.getStatusCode(), over.getBody());
            Instant midnight = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            assertEquals(Duration.between(clock.instant(), midnight).toSeconds(), Long.parseLong(over.getHeaders().get("retry-after")));
            assertEquals(201, request(limited, "POST", "/uploads", acme, uploadBody("c.txt", "text/plain", 40, DECLARED_SHA256)).getStatusCode(),
                    "exactly up to the quota");
            APIGatewayV2HTTPResponse huge = request(limited, "POST", "/uploads", globex, uploadBody("huge.txt", "text/plain", 101, DECLARED_SHA256));
            assertEquals(400, huge.getStatusCode(), "larger than a whole day's quota: never acceptable, so not a 429");
            assertEquals("size", JSON.readTree(huge.getBody()).get("fields").get(0).get("field").asText());

            body(request(limited, "DELETE", "/uploads/" + first, acme, null), 200);
            assertEquals(201, request(limited, "POST", "/uploads", acme, uploadBody("b.txt", "text/plain", 50, DECLARED_SHA256)).getStatusCode(),
                    "the aborted upload's 60 bytes were given back");
        }
    }

    @Test
    void unknownUploadIdIsNotFound() throws Exception {
        String unknown = "upl_" + "0".repeat(40);
        assertEquals(404, request("GET", "/uploads/" + unknown, acme, null).getStatusCode());
        assertEquals(404, request("GET", "/uploads/not-an-id", acme, null).getStatusCode());
        assertEquals(404, request("POST", "/uploads/" + unknown + "/parts", acme, partsBody(new byte[1], 1, 1)).getStatusCode());
        assertEquals(404, request("DELETE", "/uploads/" + unknown, acme, null).getStatusCode());
    }

    @Test
    void anotherTenantsUploadLooksUnknownAndCannotBeTouched() throws Exception {
        String uploadId = created(createUpload("big.txt", "text/plain", 6 * MIB, null)).get("uploadId").asText();
        for (var call : List.of(
                request("GET", "/uploads/" + uploadId, globex, null),
                request("GET", "/uploads/" + uploadId + "/parts", globex, null),
                request("POST", "/uploads/" + uploadId + "/parts", globex, partsBody(new byte[(int) (6 * MIB)], 5 * MIB, 1)),
                request("POST", "/uploads/" + uploadId + "/complete", globex, "{\"parts\":[]}"),
                request("DELETE", "/uploads/" + uploadId, globex, null))) {
            assertEquals(404, call.getStatusCode());
            assertEquals("https://supportress.example/problems/not-found", JSON.readTree(call.getBody()).get("type").asText());
        }
        assertEquals("pending", uploadItem(uploadId).get("status").s());
        assertEquals(1, stack.s3().listMultipartUploads(r -> r.bucket(bucket())).uploads().size());
    }

    @Test
    void expiredUploadCannotBeSignedOrCompleted() throws Exception {
        String uploadId = created(createUpload("big.txt", "text/plain", 6 * MIB, null)).get("uploadId").asText();
        clock.advance(Duration.ofHours(25));
        APIGatewayV2HTTPResponse parts = request("POST", "/uploads/" + uploadId + "/parts", acme, partsBody(new byte[(int) (6 * MIB)], 5 * MIB, 1));
        assertEquals(404, parts.getStatusCode());
        assertTrue(parts.getBody().contains("expired"));
        assertEquals(404, request("POST", "/uploads/" + uploadId + "/complete", acme, completeBody(2)).getStatusCode());
        assertEquals("pending", uploadItem(uploadId).get("status").s());
    }

    @Test
    void abortEndsTheMultipartUploadAndMarksItFailed() throws Exception {
        String uploadId = created(createUpload("big.txt", "text/plain", 6 * MIB, null)).get("uploadId").asText();
        JsonNode aborted = body(request("DELETE", "/uploads/" + uploadId, acme, null), 200);
        assertEquals("failed", aborted.get("status").asText());
        assertEquals("aborted by the client", aborted.get("reason").asText());
        assertTrue(stack.s3().listMultipartUploads(r -> r.bucket(bucket())).uploads().isEmpty());
        assertEquals(409, request("DELETE", "/uploads/" + uploadId, acme, null).getStatusCode());
        assertEquals(1, metrics.sum(FinalStatusMetric.METRIC, Map.of(FinalStatusMetric.STATUS_DIMENSION, "failed")),
                "the abort is counted once; the refused second one is not");
        assertEquals(stack.environment("UploadApiFunction").require("METRICS_NAMESPACE"), metrics.documents().getFirst().namespace());
    }

    @Test
    void abortClosesTheKeySoTheStillValidPutUrlCannotWriteThere() throws Exception {
        byte[] file = "late bytes\n".getBytes(StandardCharsets.UTF_8);
        JsonNode created = created(createUpload("a.txt", "text/plain", file.length, sha256(file)));
        String uploadId = created.get("uploadId").asText();

        assertEquals("failed", body(request("DELETE", "/uploads/" + uploadId, acme, null), 200).get("status").asText());

        assertEquals(412, put(created.get("url").asText(), created.get("headers"), file), "the closing marker sits at the key");
        var marker = stack.s3().headObject(r -> r.bucket(bucket()).key("tenants/" + TENANT + "/" + uploadId));
        assertEquals(0, marker.contentLength());
        assertEquals("aborted", marker.metadata().get("upload-closed"));
    }

    /** Sends each part of the file through URLs signed over its SHA-256 and completes the upload. */
    private void uploadParts(String uploadId, byte[] file, long partSize) throws Exception {
        ArrayNode completion = uploadPartsWithoutCompleting(uploadId, file, partSize);
        body(request("POST", "/uploads/" + uploadId + "/complete", acme, JSON.createObjectNode().set("parts", completion).toString()), 200);
    }

    /** Sends every part; returns the completion list (partNumber, etag, sha256) for POST .../complete. */
    private ArrayNode uploadPartsWithoutCompleting(String uploadId, byte[] file, long partSize) throws Exception {
        int count = (int) ((file.length + partSize - 1) / partSize);
        int[] numbers = new int[count];
        Arrays.setAll(numbers, i -> i + 1);
        JsonNode urls = body(request("POST", "/uploads/" + uploadId + "/parts", acme, partsBody(file, partSize, numbers)), 200).get("parts");
        ArrayNode completion = JSON.createArrayNode();
        for (JsonNode part : urls) {
            int number = part.get("partNumber").asInt();
            byte[] bytes = part(file, partSize, number);
            HttpResponse<String> response = HTTP.send(putRequest(part.get("url").asText(), part.get("headers"), bytes), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            completion.addObject().put("partNumber", number).put("etag", response.headers().firstValue("etag").orElseThrow())
                    .put("sha256", sha256(bytes));
        }
        return completion;
    }

    private static String partsBody(byte[] file, long partSize, int... numbers) throws Exception {
        ArrayNode parts = JSON.createArrayNode();
        for (int number : numbers) {
            parts.addObject().put("partNumber", number).put("sha256", sha256(part(file, partSize, number)));
        }
        return JSON.createObjectNode().set("parts", parts).toString();
    }

    private static String completeBody(int parts) throws Exception {
        ArrayNode list = JSON.createArrayNode();
        for (int number = 1; number <= parts; number++) {
            list.addObject().put("partNumber", number).put("etag", "\"0123456789abcdef0123456789abcdef\"").put("sha256", sha256(new byte[]{1}));
        }
        return JSON.createObjectNode().set("parts", list).toString();
    }

    private static byte[] part(byte[] file, long partSize, int number) {
        return Arrays.copyOfRange(file, (int) ((number - 1) * partSize), (int) Math.min(file.length, number * partSize));
    }

    private static void assertRejectedField(APIGatewayV2HTTPResponse response, String field) throws Exception {
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals(field, JSON.readTree(response.getBody()).get("fields").get(0).get("field").asText(), response.getBody());
    }

    @Test
    void fileNamesWithUnicodeSeparatorsOrFormatCharactersAreRefusedAndNothingRecorded() throws Exception {
        for (String name : new String[] {"a\u2028b.txt", "a\u2029b.txt", "a\u0085b.txt", "invoice\u202efdp.exe", "a\u200bb.txt"}) {
            assertRejected(createUpload(name, "text/plain", 10, null), 400, "fileName");
        }
    }

    @Test
    void unpairedSurrogateInAFileNameIsA400BeforeAnyAwsCall() throws Exception {
        APIGatewayV2HTTPResponse response = request("POST", "/uploads", acme,
                "{\"fileName\":\"a\\ud800.txt\",\"contentType\":\"text/plain\",\"size\":10}");
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals(0, uploadCount());
    }

    @Test
    void sizeBeyondInt64OrFractionalIsAnInvalidFieldNotWrappedAround() throws Exception {
        for (String size : new String[] {"9223372036854775808", "18446744073709551617", "1.5", "1e300", "-1"}) {
            assertRejected(request("POST", "/uploads", acme, "{\"fileName\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":" + size + "}"),
                    400, "size");
        }
    }

    private void assertRejected(APIGatewayV2HTTPResponse response, int status, String field) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(status, body.get("status").asInt());
        assertEquals(field, body.get("fields").get(0).get("field").asText(), response.getBody());
        assertEquals(0, uploadCount(), "nothing recorded");
        assertTrue(stack.s3().listMultipartUploads(r -> r.bucket(bucket())).uploads().isEmpty(), "no multipart upload left open");
    }

    private APIGatewayV2HTTPResponse createUpload(String fileName, String contentType, long size, String sha256) {
        return request("POST", "/uploads", acme, uploadBody(fileName, contentType, size, sha256));
    }

    private static String uploadBody(String fileName, String contentType, long size, String sha256) {
        ObjectNode body = JSON.createObjectNode().put("fileName", fileName).put("contentType", contentType).put("size", size);
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        return body.toString();
    }

    /** A call through the route as API Gateway serves it: the token goes through the authorizer before the handler runs. */
    private APIGatewayV2HTTPResponse request(String method, String path, String token, String body) {
        return request(handler, method, path, token, body);
    }

    private APIGatewayV2HTTPResponse request(UploadApiHandler target, String method, String path, String token, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        return gateway.invoke(target, HttpEvents.request(method, path, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "198.51.100.20"));
    }

    private static JsonNode created(APIGatewayV2HTTPResponse response) throws Exception {
        return body(response, 201);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response, int status) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        return JSON.readTree(response.getBody());
    }

    private static int put(String url, JsonNode headers, byte[] body) throws Exception {
        return HTTP.send(putRequest(url, headers, body), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The PUT a browser makes: every signed header as given, except the length, which the client computes. */
    private static HttpRequest putRequest(String url, JsonNode headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.properties().forEach(header -> {
            if (!header.getKey().equals("content-length")) {
                request.header(header.getKey(), header.getValue().asText());
            }
        });
        return request.build();
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private String bucket() {
        return stack.physicalName("UploadBucket");
    }

    private boolean objectExists(String key) {
        return stack.s3().listObjectsV2(r -> r.bucket(bucket()).prefix(key)).keyCount() > 0;
    }

    private Map<String, AttributeValue> uploadItem(String uploadId) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("UploadsTable"))
                .key(Map.of("uploadId", AttributeValue.fromS(uploadId)))).item();
    }

    /** Upload records only: the table also holds the tenants' quota counters. */
    private int uploadCount() {
        return (int) stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("UploadsTable"))).items().stream()
                .filter(item -> item.get("uploadId").s().startsWith("upl_")).count();
    }

    static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** S3's composite checksum: the SHA-256 of the concatenated SHA-256 digests of the parts, and the part count. */
    static String compositeSha256(byte[] bytes, long partSize) throws Exception {
        MessageDigest partDigests = MessageDigest.getInstance("SHA-256");
        int parts = 0;
        for (int start = 0; start < bytes.length; start += (int) partSize, parts++) {
            partDigests.update(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, start, (int) Math.min(bytes.length, start + partSize))));
        }
        return Base64.getEncoder().encodeToString(partDigests.digest()) + "-" + parts;
    }
}
