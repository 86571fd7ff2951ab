package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.TenantUsers;
import com.supportress.upload.api.UploadApiHandler;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What both upload benchmarks do around the measured part: a stack, uploads through the real API and presigned URLs, the queue. */
final class BenchmarkStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "bench";

    final EmulatedStack stack;
    final UploadApiHandler api;
    private final ApiGateway gateway;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    BenchmarkStack() {
        // The throughput run keeps up to 1,000 uploads open at once, past the default tenant quota.
        stack = EmulatedStack.create(Map.of("OpenUploadsPerTenant", "1000"));
        api = new UploadApiHandler(stack.start("UploadApiFunction"));
        gateway = ApiGateway.of(stack);
        token = new TenantUsers(stack).idToken(TENANT);
    }

    JsonNode createUpload(String fileName, String contentType, long size) throws Exception {
        String body = JSON.createObjectNode().put("fileName", fileName).put("contentType", contentType).put("size", size).toString();
        return call("POST", "/uploads", body, 201);
    }

    JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        APIGatewayV2HTTPResponse response = gateway.invoke(api, HttpEvents.request(method, path,
                Map.of("content-type", "application/json", "authorization", "Bearer " + token),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
        if (response.getStatusCode() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return JSON.readTree(response.getBody());
    }

    /** The PUT a browser makes to a presigned URL; returns the ETag. */
    String put(JsonNode signed, byte[] bytes) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.get("url").asText())).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.get("headers").properties().forEach(header -> {
            if (!header.getKey().equals("content-length")) {
                request.header(header.getKey(), header.getValue().asText());
            }
        });
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT answered " + response.statusCode());
        }
        return response.headers().firstValue("etag").orElseThrow();
    }

    String queueUrl() {
        return stack.getAttribute("UploadEventsQueue", "QueueUrl");
    }

    List<Message> receive(int max, int waitSeconds) {
        return stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl()).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)).messages();
    }

    void delete(Message message) {
        stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl()).receiptHandle(message.receiptHandle()));
    }


    Map<String, AttributeValue> upload(String uploadId) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("UploadsTable"))
                .key(Map.of("uploadId", AttributeValue.fromS(uploadId))).consistentRead(true)).item();
    }

    /** Upload records only: the table also holds the tenant's quota counters. */
    List<Map<String, AttributeValue>> allUploads() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        stack.dynamoDb().scanPaginator(r -> r.tableName(stack.physicalName("UploadsTable"))).items().stream()
                .filter(item -> item.get("uploadId").s().startsWith("upl_")).forEach(items::add);
        return items;
    }

    /** VmHWM: the most resident memory this process has had, in MiB. */
    static double peakRssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        api.close();
    }
}
