package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.SqsEvents;
import com.supportress.emulator.TenantUsers;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.upload.api.UploadApiHandler;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the upload-ingest integration tests and benchmarks do around the function under test: uploads created
 * through the real upload-api handler and sent through its presigned URLs (one PUT, or parts), the queue the
 * bucket notifies, ingest handlers built as Lambda builds them, and reads of the stack's table and buckets.
 */
public final class UploadFixture implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final long MIB = 1024 * 1024;
    public static final String TENANT = "acme";
    private static final byte[] PNG_HEADER = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final EmulatedStack stack;
    private final Clock clock;
    private final UploadApiHandler api;
    private final ApiGateway gateway;
    private final String token;

    /** {@code apiVariables} override upload-api's environment (smaller parts in tests); calls carry a tenant user's ID token. */
    public UploadFixture(EmulatedStack stack, Clock clock, Map<String, String> apiVariables) {
        this.stack = stack;
        this.clock = clock;
        Map<String, String> variables = new HashMap<>(stack.environment("UploadApiFunction").variables());
        variables.putAll(apiVariables);
        this.api = new UploadApiHandler(FunctionApplication.builder(FunctionEnvironment.of(variables)).singletons(clock).start());
        this.gateway = ApiGateway.of(stack);
        this.token = new TenantUsers(stack).idToken(TENANT);
    }

    /** An ingest handler as Lambda builds it, with environment overrides and extra beans (an interceptor, say). */
    public UploadIngestHandler ingestHandler(Map<String, String> overrides, Object... beans) {
        Map<String, String> variables = new HashMap<>(stack.environment("UploadIngestFunction").variables());
        variables.putAll(overrides);
        Object[] singletons = Arrays.copyOf(beans, beans.length + 1);
        singletons[beans.length] = clock;
        return new UploadIngestHandler(FunctionApplication.builder(FunctionEnvironment.of(variables)).singletons(singletons).start());
    }

    public JsonNode create(String fileName, String contentType, long size, String sha256, String method) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("fileName", fileName).put("contentType", contentType).put("size", size);
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        if (method != null) {
            body.put("method", method);
        }
        return call("POST", "/uploads", body.toString(), 201);
    }

    public JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        APIGatewayV2HTTPResponse response = gateway.invoke(api, HttpEvents.request(method, path,
                Map.of("content-type", "application/json", "authorization", "Bearer " + token),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "198.51.100.30"));
        if (response.getStatusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return JSON.readTree(response.getBody());
    }

    /** A single-PUT upload of these bytes through its presigned URL; returns the upload id. */
    public String putUpload(String fileName, String contentType, byte[] bytes) throws Exception {
        JsonNode created = create(fileName, contentType, bytes.length, sha256(bytes), "PUT");
        int status = put(created, bytes);
        if (status != 200) {
            throw new AssertionError("the presigned PUT answered " + status);
        }
        return created.get("uploadId").asText();
    }

    /** A multipart upload of these bytes: each part through a URL signed over its SHA-256, then completed. */
    public String multipartUpload(String fileName, String contentType, byte[] bytes) throws Exception {
        return multipartUpload(fileName, contentType, bytes.length,
                (start, length) -> Arrays.copyOfRange(bytes, (int) start, (int) (start + length)));
    }

    /** The bytes of a file at [start, start + length), made on demand so no file needs to fit in memory. */
    @FunctionalInterface
    public interface FileBytes {
        byte[] read(long start, int length);
    }

    /** A multipart upload of a file of this size, one part in memory at a time; returns the upload id. */
    public String multipartUpload(String fileName, String contentType, long size, FileBytes file) throws Exception {
        JsonNode created = create(fileName, contentType, size, null, "MULTIPART");
        String uploadId = created.get("uploadId").asText();
        long partSize = created.get("partSize").asLong();
        int partCount = created.get("partCount").asInt();
        ArrayNode completion = JSON.createArrayNode();
        for (int number = 1; number <= partCount; number++) {
            long start = (number - 1) * partSize;
            byte[] part = file.read(start, (int) Math.min(partSize, size - start));
            ObjectNode request = JSON.createObjectNode();
            request.putArray("parts").addObject().put("partNumber", number).put("sha256", sha256(part));
            JsonNode signed = call("POST", "/uploads/" + uploadId + "/parts", request.toString(), 200).get("parts").get(0);
            HttpResponse<Void> response = HTTP.send(putRequest(signed, part), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new AssertionError("part " + number + " answered " + response.statusCode());
            }
            completion.addObject().put("partNumber", number).put("etag", response.headers().firstValue("etag").orElseThrow())
                    .put("sha256", sha256(part));
        }
        call("POST", "/uploads/" + uploadId + "/complete", JSON.createObjectNode().set("parts", completion).toString(), 200);
        return uploadId;
    }

    /** The PUT a browser makes to a presigned URL ({url, headers}); returns S3's status. */
    public int put(JsonNode signed, byte[] bytes) throws Exception {
        return HTTP.send(putRequest(signed, bytes), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest putRequest(JsonNode signed, byte[] bytes) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.get("url").asText())).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        // Every signed header as given, except the length, which the HTTP client sets itself.
        signed.get("headers").properties().forEach(header -> {
            if (!header.getKey().equals("content-length")) {
                request.header(header.getKey(), header.getValue().asText());
            }
        });
        return request.build();
    }

    /** Everything waiting on the ingest queue, deleted from it as Lambda's poller would after a successful batch. */
    public List<Message> receiveAll() {
        String queueUrl = queueUrl();
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            all.addAll(batch);
            batch.forEach(m -> stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        } while (!batch.isEmpty());
        return all;
    }

    /**
     * Hands every queued message to the handler, one per invocation as the template's BatchSize says, until the
     * queue stays empty (a continuation the handler queues is handled too); returns every failure reported.
     */
    public List<SQSBatchResponse.BatchItemFailure> ingestQueued(UploadIngestHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Message> messages = receiveAll();
            if (messages.isEmpty()) {
                return failures;
            }
            for (Message message : messages) {
                failures.addAll(handler.handleRequest(SqsEvents.of(List.of(message)), null).getBatchItemFailures());
            }
        }
        throw new AssertionError("the queue never emptied: the handler keeps queuing continuations");
    }

    /** Queues the upload's object again, as the reconciler does. */
    public void redrive(String uploadId) {
        stack.sqs().sendMessage(r -> r.queueUrl(queueUrl())
                .messageBody(UploadEventsQueue.body(bucket(), key(uploadId), UploadEventsQueue.Reason.REDRIVE)));
    }

    public List<Message> receive(int max, int waitSeconds) {
        return stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl()).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)).messages();
    }

    public void delete(Message message) {
        stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl()).receiptHandle(message.receiptHandle()));
    }

    /** Every upload record (the table also holds the tenants' quota counters). */
    public List<Map<String, AttributeValue>> allUploads() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        stack.dynamoDb().scanPaginator(r -> r.tableName(stack.physicalName("UploadsTable"))).items().stream()
                .filter(item -> item.get("uploadId").s().startsWith("upl_")).forEach(items::add);
        return items;
    }

    /** Upload records only. */
    public int uploadCount() {
        return allUploads().size();
    }

    public String queueUrl() {
        return stack.getAttribute("UploadEventsQueue", "QueueUrl");
    }

    public Map<String, AttributeValue> item(String uploadId) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("UploadsTable"))
                .key(Map.of("uploadId", AttributeValue.fromS(uploadId))).consistentRead(true)).item();
    }



    public String bucket() {
        return stack.physicalName("UploadBucket");
    }

    public S3Client replicaS3() {
        return stack.s3(stack.secondaryRegion());
    }

    public String replicaBucket() {
        return stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
    }

    public byte[] replicaBytes(String uploadId) {
        return replicaS3().getObjectAsBytes(r -> r.bucket(replicaBucket()).key(key(uploadId))).asByteArray();
    }

    public int replicaVersions(String uploadId) {
        return replicaS3().listObjectVersions(r -> r.bucket(replicaBucket()).prefix(key(uploadId))).versions().size();
    }

    /** Versions of objects (not S3's delete markers) at the upload's live key. */
    public List<ObjectVersion> versions(String uploadId) {
        return stack.s3().listObjectVersions(r -> r.bucket(bucket()).prefix(key(uploadId))).versions();
    }

    public static String key(String uploadId) {
        return "tenants/" + TENANT + "/" + uploadId;
    }

    public static String quarantineKey(String uploadId) {
        return "quarantine/" + TENANT + "/" + uploadId;
    }

    public static byte[] png(int size) {
        byte[] bytes = new byte[size];
        System.arraycopy(PNG_HEADER, 0, bytes, 0, PNG_HEADER.length);
        for (int i = PNG_HEADER.length; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    public static byte[] text(long size) {
        byte[] bytes = new byte[Math.toIntExact(size)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    public static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** S3's composite checksum: the SHA-256 of the concatenated SHA-256 digests of the parts, and "-" and the count. */
    public static String compositeSha256(byte[] bytes, long partSize) throws Exception {
        MessageDigest partDigests = MessageDigest.getInstance("SHA-256");
        int parts = 0;
        for (long start = 0; start < bytes.length; start += partSize, parts++) {
            partDigests.update(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, (int) start, (int) Math.min(bytes.length, start + partSize))));
        }
        return Base64.getEncoder().encodeToString(partDigests.digest()) + "-" + parts;
    }

    @Override
    public void close() {
        api.close();
    }
}
