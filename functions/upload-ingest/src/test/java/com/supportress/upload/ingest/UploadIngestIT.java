package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.TenantUsers;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SqsEvents;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.schedule.ScheduleEvent;
import com.supportress.upload.api.UploadApiHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: upload-ingest against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per
 * test. Uploads are created through the real upload-api handler; moto delivers the bucket's notifications to the
 * real queue, and the test hands what it receives to the handler, as the Lambda SQS poller would.
 */
@Tag("emulator")
class UploadIngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024 * 1024;
    private static final String TENANT = "acme";
    private static final byte[] PNG_HEADER = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private EmulatedStack stack;
    private MutableClock clock;
    private UploadApiHandler api;
    private ApiGateway gateway;
    private String token;
    private UploadIngestHandler ingest;

    @BeforeEach
    void standUpStack() {
        stack = EmulatedStack.create(Map.of());
        clock = new MutableClock(Instant.now());
        api = new UploadApiHandler(stack.start("UploadApiFunction", clock));
        gateway = ApiGateway.of(stack);
        token = new TenantUsers(stack).idToken(TENANT);
        ingest = ingestHandler(Map.of());
    }

    @AfterEach
    void closeHandlers() {
        api.close();
        ingest.close();
    }

    @Test
    void validUploadIsVerifiedAndCopiedToTheSecondRegionWithItsLag() throws Exception {
        byte[] file = png(4096);
        String uploadId = createUpload("photo.png", "image/png", file.length, sha256(file));
        putObject(uploadId, file);
        assertEquals(List.of(uploadId), openUploadsOfTheTenant(), "counted against the tenant's open uploads");

        SQSBatchResponse response = ingestQueuedEvents();

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of(), openUploadsOfTheTenant(), "stored: no longer open, the tenant's slot is free");
        Map<String, AttributeValue> item = uploadItem(uploadId);
        assertEquals("replicated", item.get("status").s());
        assertEquals(stack.secondaryRegion().id(), item.get("replicaRegion").s());
        assertEquals(sha256(file), item.get("sha256").s());
        assertTrue(Long.parseLong(item.get("replicationLagMillis").n()) >= 0);
        assertFalse(item.containsKey("replicationPending"), "out of the reconciliation index");
        assertArrayEquals(file, replicaBytes(uploadId));
        JsonNode status = status(uploadId);
        assertEquals("replicated", status.get("status").asText());
        assertEquals(stack.secondaryRegion().id(), status.get("replicaRegion").asText());
        assertTrue(status.has("replicationLagMillis"));
    }

    @Test
    void theBucketsTestEventIsSkippedWithoutFailure() {
        List<Message> messages = receiveAll();
        assertTrue(messages.stream().anyMatch(m -> m.body().contains("s3:TestEvent")), "moto sends a test event when notifications are configured");
        SQSBatchResponse response = ingest.handleRequest(SqsEvents.of(messages), null);
        assertTrue(response.getBatchItemFailures().isEmpty());
    }

    @Test
    void uploadedSizeOtherThanDeclaredIsQuarantinedAndNotReplicated() throws Exception {
        String uploadId = createUpload("photo.png", "image/png", 4096, null);
        putObject(uploadId, png(5000));

        ingestQueuedEvents();

        assertQuarantined(uploadId, "size 5000 bytes does not match the declared 4096");
    }

    @Test
    void contentOfAnotherTypeThanDeclaredIsQuarantined() throws Exception {
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
        String uploadId = createUpload("photo.png", "image/png", pdf.length, null);
        putObject(uploadId, pdf);

        ingestQueuedEvents();

        assertQuarantined(uploadId, "content is not image/png");
    }

    @Test
    void contentWithAnotherSha256ThanDeclaredIsQuarantined() throws Exception {
        byte[] declared = png(2048);
        byte[] sent = png(2048);
        sent[2047] = 1;
        String uploadId = createUpload("photo.png", "image/png", declared.length, sha256(declared));
        putObject(uploadId, sent);

        ingestQueuedEvents();

        assertQuarantined(uploadId, "SHA-256 does not match the declared one");
    }

    @Test
    void largeObjectFailingACheckIsQuarantinedByAMultipartCopyWithItsReason() throws Exception {
        ingest.close();
        ingest = ingestHandler(Map.of("COPY_MULTIPART_THRESHOLD_BYTES", Long.toString(5 * MIB), "COPY_PART_SIZE_BYTES", Long.toString(5 * MIB)));
        String uploadId = createUpload("log.txt", "text/plain", 11 * MIB, null);
        putObject(uploadId, text(12 * MIB));

        ingestQueuedEvents();

        assertQuarantined(uploadId, "size 12582912 bytes does not match the declared 11534336");
        var copy = stack.s3().headObject(r -> r.bucket(bucket()).key("quarantine/" + TENANT + "/" + uploadId));
        assertEquals(12 * MIB, copy.contentLength());
        assertEquals("size 12582912 bytes does not match the declared 11534336", copy.metadata().get("quarantine-reason"));
    }

    @Test
    void retryAfterACrashBetweenQuarantineAndRecordStillRecordsTheReason() throws Exception {
        String uploadId = createUpload("photo.png", "image/png", 100, null);
        putObject(uploadId, png(100));
        List<Message> messages = receiveAll();
        // What the crashed attempt did: the copy with its reason, and the original version deleted, but no record.
        stack.s3().copyObject(r -> r.sourceBucket(bucket()).sourceKey(key(uploadId)).destinationBucket(bucket())
                .destinationKey("quarantine/" + TENANT + "/" + uploadId).metadataDirective("REPLACE")
                .metadata(Map.of("quarantine-reason", "content is not image/png")));
        stack.s3().listObjectVersions(r -> r.bucket(bucket()).prefix(key(uploadId))).versions().forEach(v ->
                stack.s3().deleteObject(r -> r.bucket(bucket()).key(key(uploadId)).versionId(v.versionId())));

        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());

        assertQuarantined(uploadId, "content is not image/png");
    }

    @Test
    void anObjectWithoutAnUploadRecordIsQuarantined() throws Exception {
        String stray = "upl_" + "ab".repeat(20);
        putObject(stray, png(100));

        assertTrue(ingestQueuedEvents().getBatchItemFailures().isEmpty());

        assertEquals(0, stack.s3().listObjectVersions(r -> r.bucket(bucket()).prefix(key(stray))).versions().size());
        var copy = stack.s3().headObject(r -> r.bucket(bucket()).key("quarantine/" + TENANT + "/" + stray));
        assertEquals("no upload record", copy.metadata().get("quarantine-reason"));
        assertEquals(0, replicaS3().listObjectsV2(r -> r.bucket(replicaBucket()).prefix(key(stray))).keyCount());
        assertEquals(0, uploadCount());
    }

    @Test
    void theSameEventTwiceEndsInOneReplicaAndOneRecord() throws Exception {
        byte[] file = png(1024);
        String uploadId = createUpload("photo.png", "image/png", file.length, null);
        putObject(uploadId, file);
        List<Message> messages = receiveAll();

        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());
        String firstReplicatedAt = uploadItem(uploadId).get("replicatedAt").s();
        clock.advance(Duration.ofMinutes(1));
        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());

        assertEquals(1, replicaVersions(uploadId));
        assertEquals(firstReplicatedAt, uploadItem(uploadId).get("replicatedAt").s());
        assertEquals(1, uploadCount());
    }

    @Test
    void objectsAboveTheCopyThresholdAreCopiedInPartsAndVerifiedByCompositeChecksum() throws Exception {
        ingest.close();
        ingest = ingestHandler(Map.of("COPY_MULTIPART_THRESHOLD_BYTES", Long.toString(5 * MIB), "COPY_PART_SIZE_BYTES", Long.toString(5 * MIB)));
        byte[] file = text(12 * MIB);
        String uploadId = createUpload("log.txt", "text/plain", file.length, sha256(file));
        putObject(uploadId, file);

        assertTrue(ingestQueuedEvents().getBatchItemFailures().isEmpty());

        assertEquals("replicated", uploadItem(uploadId).get("status").s());
        String checksum = replicaS3().headObject(r -> r.bucket(replicaBucket()).key(key(uploadId)).checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
        assertEquals(compositeSha256(file, (int) (5 * MIB)), checksum.split("-")[0], "S3's checksum of a three-part copy");
        assertArrayEquals(file, replicaBytes(uploadId));
    }

    @Test
    void retryAfterACrashMidCopyFinishesWithOneReplicaAndNoOpenCopy() throws Exception {
        ingest.close();
        ingest = ingestHandler(Map.of("COPY_MULTIPART_THRESHOLD_BYTES", Long.toString(5 * MIB), "COPY_PART_SIZE_BYTES", Long.toString(5 * MIB)));
        byte[] file = text(11 * MIB);
        String uploadId = createUpload("log.txt", "text/plain", file.length, null);
        putObject(uploadId, file);
        // What a crash after the first part leaves behind: an open multipart copy holding one part.
        String crashed = replicaS3().createMultipartUpload(r -> r.bucket(replicaBucket()).key(key(uploadId))).uploadId();
        replicaS3().uploadPartCopy(r -> r.sourceBucket(bucket()).sourceKey(key(uploadId)).copySourceRange("bytes=0-" + (5 * MIB - 1))
                .destinationBucket(replicaBucket()).destinationKey(key(uploadId)).uploadId(crashed).partNumber(1));

        assertTrue(ingestQueuedEvents().getBatchItemFailures().isEmpty());

        assertEquals("replicated", uploadItem(uploadId).get("status").s());
        assertTrue(replicaS3().listMultipartUploads(r -> r.bucket(replicaBucket())).uploads().isEmpty());
        assertEquals(1, replicaVersions(uploadId));
        assertArrayEquals(file, replicaBytes(uploadId));
    }

    @Test
    void oneBadMessageFailsAloneInThePartialBatchResponse() throws Exception {
        byte[] file = png(512);
        String uploadId = createUpload("photo.png", "image/png", file.length, null);
        putObject(uploadId, file);
        List<SQSEvent.SQSMessage> batch = new ArrayList<>(SqsEvents.of(receiveAll()).getRecords());
        SQSEvent.SQSMessage poison = new SQSEvent.SQSMessage();
        poison.setMessageId("poison-1");
        poison.setBody("{not json");
        batch.add(1, poison);
        SQSEvent event = new SQSEvent();
        event.setRecords(batch);

        SQSBatchResponse response = ingest.handleRequest(event, null);

        assertEquals(List.of("poison-1"), response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals("replicated", uploadItem(uploadId).get("status").s());
    }

    @Test
    void aBatchWithNoRecordsOrANullRecordNeverThrows() {
        assertTrue(ingest.handleRequest(new SQSEvent(), null).getBatchItemFailures().isEmpty());
        SQSEvent withNull = new SQSEvent();
        withNull.setRecords(new ArrayList<>(java.util.Collections.singletonList(null)));
        assertTrue(ingest.handleRequest(withNull, null).getBatchItemFailures().isEmpty());
    }

    @Test
    void messagesNestedDeeperThanTheLimitOrWithTrailingDataFailAloneWithoutAStackOverflow() {
        SQSEvent.SQSMessage deep = new SQSEvent.SQSMessage();
        deep.setMessageId("deep-1");
        deep.setBody("{\"Records\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        SQSEvent.SQSMessage trailing = new SQSEvent.SQSMessage();
        trailing.setMessageId("trailing-1");
        trailing.setBody("{\"Records\":[]}{\"Records\":[]}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(deep, trailing));
        assertEquals(List.of("deep-1", "trailing-1"), ingest.handleRequest(event, null).getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @Test
    void reconciliationRedrivesObjectsNotReplicatedWithinFifteenMinutes() throws Exception {
        byte[] file = png(256);
        String lagging = createUpload("photo.png", "image/png", file.length, null);
        putObject(lagging, file);
        String neverUploaded = createUpload("other.png", "image/png", 100, null);
        receiveAll(); // the first delivery is lost: nothing ingests it
        clock.advance(Duration.ofMinutes(16));

        try (UploadReconcileHandler reconcile = new UploadReconcileHandler(stack.start("UploadReconcileFunction", clock))) {
            ReconcileService.Result result = reconcile.handleRequest(SampleEvents.load("upload-ingest/reconcile-schedule.json", ScheduleEvent.class), null);
            assertEquals(1, result.lagging());
            assertEquals(1, result.redriven());
            assertTrue(result.oldestLagSeconds() >= 15 * 60);
        }
        assertTrue(ingestQueuedEvents().getBatchItemFailures().isEmpty());

        assertEquals("replicated", uploadItem(lagging).get("status").s());
        assertEquals("pending", uploadItem(neverUploaded).get("status").s(), "its upload window is still open");
        assertArrayEquals(file, replicaBytes(lagging));
    }

    @Test
    void reconciliationFailsUploadsNeverSentBeforeTheirWindowClosed() throws Exception {
        String neverUploaded = createUpload("other.png", "image/png", 100, null);
        clock.advance(Duration.ofHours(25));

        try (UploadReconcileHandler reconcile = new UploadReconcileHandler(stack.start("UploadReconcileFunction", clock))) {
            ReconcileService.Result result = reconcile.handleRequest(SampleEvents.load("upload-ingest/reconcile-schedule.json", ScheduleEvent.class), null);
            assertEquals(0, result.lagging());
            assertEquals(1, result.expired());
        }
        assertEquals("failed", uploadItem(neverUploaded).get("status").s());
        assertEquals("never uploaded before the upload expired", uploadItem(neverUploaded).get("reason").s());
        assertEquals(List.of(), openUploadsOfTheTenant(), "its slot is free again");
        String day = uploadItem(neverUploaded).get("quotaDay").s();
        assertEquals("0", uploadItem("quota#bytes#" + TENANT + "#" + day).get("bytes").n(), "its bytes were given back");
    }

    /** The tenant's open uploads as the quota counts them (the set is removed with its last member). */
    private List<String> openUploadsOfTheTenant() {
        Map<String, AttributeValue> item = uploadItem("quota#open#" + TENANT);
        return item == null || !item.containsKey("openUploads") ? List.of() : item.get("openUploads").ss();
    }

    private void assertQuarantined(String uploadId, String reason) throws Exception {
        Map<String, AttributeValue> item = uploadItem(uploadId);
        assertEquals("quarantined", item.get("status").s());
        assertEquals(reason, item.get("reason").s());
        assertEquals(reason, status(uploadId).get("reason").asText());
        assertEquals(0, stack.s3().listObjectVersions(r -> r.bucket(bucket()).prefix(key(uploadId))).versions().size(),
                "no version left under the tenant's prefix");
        assertEquals(1, stack.s3().listObjectsV2(r -> r.bucket(bucket()).prefix("quarantine/" + TENANT + "/" + uploadId)).keyCount());
        assertEquals(0, replicaS3().listObjectsV2(r -> r.bucket(replicaBucket()).prefix(key(uploadId))).keyCount());
    }

    private UploadIngestHandler ingestHandler(Map<String, String> overrides) {
        Map<String, String> variables = new HashMap<>(stack.environment("UploadIngestFunction").variables());
        variables.putAll(overrides);
        return new UploadIngestHandler(FunctionApplication.builder(FunctionEnvironment.of(variables)).singletons(clock).start());
    }

    private String createUpload(String fileName, String contentType, long size, String sha256) throws Exception {
        var body = JSON.createObjectNode().put("fileName", fileName).put("contentType", contentType).put("size", size);
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        APIGatewayV2HTTPResponse response = gateway.invoke(api, HttpEvents.request("POST", "/uploads",
                Map.of("content-type", "application/json", "authorization", "Bearer " + token), body.toString().getBytes(StandardCharsets.UTF_8), "198.51.100.30"));
        assertEquals(201, response.getStatusCode(), response.getBody());
        return JSON.readTree(response.getBody()).get("uploadId").asText();
    }

    private JsonNode status(String uploadId) throws Exception {
        APIGatewayV2HTTPResponse response = gateway.invoke(api, HttpEvents.request("GET", "/uploads/" + uploadId,
                Map.of("authorization", "Bearer " + token), new byte[0], "198.51.100.30"));
        assertEquals(200, response.getStatusCode());
        return JSON.readTree(response.getBody());
    }

    /** Bytes as they would arrive through the presigned URL (which moto would accept whatever was signed). */
    private void putObject(String uploadId, byte[] bytes) {
        stack.s3().putObject(r -> r.bucket(bucket()).key(key(uploadId)), RequestBody.fromBytes(bytes));
    }

    private SQSBatchResponse ingestQueuedEvents() {
        return ingest.handleRequest(SqsEvents.of(receiveAll()), null);
    }

    private List<Message> receiveAll() {
        String queueUrl = stack.getAttribute("UploadEventsQueue", "QueueUrl");
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            all.addAll(batch);
            batch.forEach(m -> stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        } while (!batch.isEmpty());
        return all;
    }


    private byte[] replicaBytes(String uploadId) {
        return replicaS3().getObjectAsBytes(r -> r.bucket(replicaBucket()).key(key(uploadId))).asByteArray();
    }

    private int replicaVersions(String uploadId) {
        return replicaS3().listObjectVersions(r -> r.bucket(replicaBucket()).prefix(key(uploadId))).versions().size();
    }

    private S3Client replicaS3() {
        return stack.s3(stack.secondaryRegion());
    }

    private String replicaBucket() {
        return stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
    }

    private String bucket() {
        return stack.physicalName("UploadBucket");
    }

    private static String key(String uploadId) {
        return "tenants/" + TENANT + "/" + uploadId;
    }

    private Map<String, AttributeValue> uploadItem(String uploadId) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("UploadsTable"))
                .key(Map.of("uploadId", AttributeValue.fromS(uploadId))).consistentRead(true)).item();
    }

    /** Upload records only: the table also holds the tenants' quota counters. */
    private int uploadCount() {
        return (int) stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("UploadsTable"))).items().stream()
                .filter(item -> item.get("uploadId").s().startsWith("upl_")).count();
    }

    static byte[] png(int size) {
        byte[] bytes = new byte[size];
        System.arraycopy(PNG_HEADER, 0, bytes, 0, PNG_HEADER.length);
        for (int i = PNG_HEADER.length; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    static byte[] text(long size) {
        byte[] bytes = new byte[Math.toIntExact(size)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** S3's composite checksum: the SHA-256 of the concatenated SHA-256 digests of the parts. */
    static String compositeSha256(byte[] bytes, int partSize) throws Exception {
        MessageDigest partDigests = MessageDigest.getInstance("SHA-256");
        for (int start = 0; start < bytes.length; start += partSize) {
            partDigests.update(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + partSize))));
        }
        return Base64.getEncoder().encodeToString(partDigests.digest());
    }
}
